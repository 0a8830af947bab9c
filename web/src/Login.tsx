/** Sign-in with an API token (`slipway token create`) or an OIDC bearer token; kept for this tab only. */
import { useState } from 'react';

export function Login({ problem, onToken }: { problem: string | undefined; onToken: (t: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <main className="login">
      <h1>Slipway</h1>
      <p>
        This controller asks who you are. Paste an API token — an administrator makes one with{' '}
        <code>slipway token create --name you --role viewer</code> — or an OIDC access token.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onToken(value.trim());
        }}
      >
        <label>
          Token{' '}
          <input type="password" name="token" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit">Sign in</button>
      </form>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </main>
  );
}
