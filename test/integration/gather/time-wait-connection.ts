// A real TIME_WAIT entry on loopback: the end of a TCP connection that closes first keeps one for 60 s.
import { connect } from 'node:net';
import { runSs, type SsSocket } from './ss-output';

export interface ClosedConnection {
  localPort: number;
  remotePort: number;
}

/**
 * Connects to a server listening on 127.0.0.1:`serverPort` and closes the connection from this
 * side first; returns once ss lists this side's end in TIME_WAIT (the server answers our FIN with
 * its own, as a node:net server does by default).
 */
export async function closeFromClientSide(serverPort: number): Promise<ClosedConnection> {
  const socket = await new Promise<ReturnType<typeof connect>>((resolve, reject) => {
    const connecting = connect(serverPort, '127.0.0.1', () => resolve(connecting));
    connecting.once('error', reject);
  });
  const localPort = socket.localPort ?? -1;
  await new Promise((resolve) => {
    socket.once('close', resolve);
    socket.end();
  });
  const isOurTimeWait = (row: SsSocket) => row.localPort === localPort && row.remotePort === serverPort && row.state === 'TIME_WAIT';
  for (let look = 0; look < 100; look += 1) {
    if ((await runSs({ flags: '-tuanH', filter: ['dst', `127.0.0.1:${serverPort}`] })).some(isOurTimeWait)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { localPort, remotePort: serverPort };
}
