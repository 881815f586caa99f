import { createServer } from 'node:net';
import { CliFailure } from '../failure';

/** Fails in one line, naming the port and the variable that moves it, when something already listens there. */
export async function ensureFree(port: number, host: string, variable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => server.close(() => resolve(true)));
    server.listen(port, host);
  });
  if (!free)
    throw new CliFailure(
      `port ${port} is already in use: stop what uses it, or set ${variable} to another port`,
    );
}
