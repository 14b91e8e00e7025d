// Why the web host could not listen, as a sentence with what to do: not Node's stack.

/** The message for a failed listen on 127.0.0.1:`port` (0: a free one). */
export function listenErrorMessage(e: unknown, port: number): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return `port ${port} is in use (another netlab web, or another program): choose another with --port N, or leave out --port for a free one`;
  if (code === 'EACCES')
    return `port ${port} needs privileges this user lacks: choose one above 1023 with --port N, or leave out --port for a free one`;
  return `could not listen on 127.0.0.1:${port}: ${code ?? (e as Error).message}`;
}
