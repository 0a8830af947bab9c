/** Reads an API path now and every `ms` after, keeping the last answer and the last problem. */
import { useEffect, useState } from 'react';
import { get } from './api';

export function usePolling<T>(
  path: string,
  ms: number,
): { data: T | undefined; problem: string | undefined } {
  const [data, setData] = useState<T | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    const read = async () => {
      try {
        const answer = await get<T>(path);
        if (live) {
          setData(answer);
          setProblem(undefined);
        }
      } catch (error) {
        if (live) setProblem((error as Error).message);
      }
    };
    void read();
    const timer = setInterval(() => void read(), ms);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [path, ms]);
  return { data, problem };
}
