// Every integration test file talks to the test network (see global-setup.ts).
import { useTestNetwork } from './global-setup';

useTestNetwork();
