/** The dashboard's shell: who is signed in, the navigation, and the page the URL's hash names. */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, get, type Me, token } from './api';
import { Login } from './Login';
import { Overview } from './Overview';
import { ReleasePage } from './ReleasePage';
import { Releases } from './Releases';
import { Delivery } from './Delivery';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function App() {
  const hash = useHash();
  const [me, setMe] = useState<Me | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [needsLogin, setNeedsLogin] = useState(false);
  const identify = useCallback(async () => {
    try {
      setMe(await get<Me>('/v1/whoami'));
      setNeedsLogin(false);
      setProblem(undefined);
    } catch (error) {
      setMe(undefined);
      if (error instanceof ApiError && error.status === 401) {
        setNeedsLogin(true);
        if (token.get()) setProblem(error.message);
      } else setProblem((error as Error).message);
    }
  }, []);
  useEffect(() => void identify(), [identify]);

  if (needsLogin || (!me && problem))
    return (
      <Login
        problem={problem}
        onToken={(t) => {
          token.set(t);
          void identify();
        }}
      />
    );
  if (!me) return <p className="muted">Connecting to the controller…</p>;
  const release = /^#\/releases\/([^/]+)$/.exec(hash)?.[1];
  return (
    <>
      <header className="top">
        <a href="#/" className="brand">
          Slipway
        </a>
        <nav>
          <a href="#/" className={hash === '' || hash === '#/' ? 'here' : ''}>
            What runs where
          </a>
          <a href="#/releases" className={hash.startsWith('#/releases') ? 'here' : ''}>
            Releases
          </a>
          <a href="#/delivery" className={hash.startsWith('#/delivery') ? 'here' : ''}>
            Delivery
          </a>
        </nav>
        <span className="who" data-testid="who">
          {me.authentication ? `${me.name} · ${me.role}` : 'open on this machine (no tokens)'}
          {me.authentication && (
            <button
              className="link"
              onClick={() => {
                token.clear();
                setMe(undefined);
                setNeedsLogin(true);
              }}
            >
              sign out
            </button>
          )}
        </span>
      </header>
      <main>
        {release ? (
          <ReleasePage id={decodeURIComponent(release)} me={me} />
        ) : hash.startsWith('#/releases') ? (
          <Releases />
        ) : hash.startsWith('#/delivery') ? (
          <Delivery />
        ) : (
          <Overview />
        )}
      </main>
    </>
  );
}
