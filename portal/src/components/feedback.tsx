/** The outcome of an action: its problem (role="alert") or its success (role="status"). */
import { ProblemMessage } from './problem';

/** Shows what an action led to. */
export function Feedback({ error, done }: { error: unknown; done: string | null }) {
  return (
    <>
      <ProblemMessage error={error} />
      <p role="status" aria-live="polite" className={done ? 'alert alert-ok' : 'sr-only'}>
        {done ?? ''}
      </p>
    </>
  );
}
