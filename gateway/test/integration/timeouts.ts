// Steps on a real network (restarts, multi-hop traces over thousands of lots) take longer than Jest's 5 s.
jest.setTimeout(240_000);
