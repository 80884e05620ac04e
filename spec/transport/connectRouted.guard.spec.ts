import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Socket, type Manager } from 'socket.io-client';
import { connectRouted } from '../../src/transport/connectRouted.js';
import { jobSocket, type NamespaceServer, settled, startNamespaceServer, untilConnected } from './namespaceServer.js';

/**
 * The socket.io-client internals that connectRouted relies on, checked against the installed
 * version with socket.io-client alone. connectRouted falls back to socket.io-client's own path
 * when they change, silently and slower; these tests make the change loud instead. When one
 * fails, read socket.io-client's `Socket#subEvents`, `Socket#destroy` and `Manager#ondecoded`,
 * and update src/transport/connectRouted.ts.
 */
const UPDATE = 'socket.io-client changed under src/transport/connectRouted.ts';

/** The private fields of a Socket that routing reads. */
interface Internals {
  nsp?: unknown;
  subs?: unknown;
}
const internals = (socket: Socket) => socket as unknown as Internals;

/** A decoded EVENT packet (socket.io-parser's type 2) of `news` with `value`. */
const eventPacket = (nsp: string, value: string) => ({ type: 2, nsp, data: ['news', value] });

describe('socket.io-client internals connectRouted relies on', () => {
  let server: NamespaceServer;
  let manager: Manager;

  beforeEach(async () => {
    server = await startNamespaceServer();
    manager = server.manager();
    await untilConnected(manager.socket('/').connect());
  });
  afterEach(async () => {
    await server.close();
  });

  it("should add exactly one 'packet' listener to the Manager on Socket#connect, and none on a second connect", () => {
    const before = [...manager.listeners('packet')];
    const socket = new Socket(manager, '/ns/a').connect();
    const added = manager.listeners('packet').filter((listener) => !before.includes(listener));
    socket.connect();

    expect(added, `${UPDATE}: Socket#connect no longer adds one 'packet' listener`).toHaveLength(1);
    expect(manager.listeners('packet'), `${UPDATE}: Socket#subEvents is no longer idempotent`).toHaveLength(before.length + 1);
  });

  it("should deliver a namespace's packets to that socket through that listener alone", async () => {
    const before = [...manager.listeners('packet')];
    const { socket, heard } = jobSocket(manager, '/ns/a');
    socket.connect();
    const [added] = manager.listeners('packet').filter((candidate) => !before.includes(candidate));
    const listener = added as (packet: object) => void;
    await untilConnected(socket);
    const [remote] = await server.connected('/ns/a');

    manager.off('packet', added);
    remote!.emit('news', 'lost');
    listener(eventPacket('/ns/other', 'foreign'));
    listener(eventPacket('/ns/a', 'handed'));
    await settled(manager.socket('/'));

    expect(heard, `${UPDATE}: the 'packet' listener is not the socket's own packet handler`).toEqual(['handed']);
  });

  it("should emit decoded packets on the Manager as 'packet', with the namespace in packet.nsp", async () => {
    const packets: unknown[] = [];
    manager.on('packet', (packet) => packets.push(packet));
    const { socket } = jobSocket(manager, '/ns/a');
    socket.connect();
    await untilConnected(socket);
    const [remote] = await server.connected('/ns/a');
    remote!.emit('news', 'x');
    await settled(socket);

    expect(packets, `${UPDATE}: Manager no longer emits 'packet' with nsp`).toContainEqual(
      expect.objectContaining({ nsp: '/ns/a', data: ['news', 'x'] }),
    );
    expect(internals(socket).nsp, `${UPDATE}: Socket#nsp no longer names the namespace`).toBe('/ns/a');
  });

  /** Adds a spy to the socket's subs, as connectRouted adds its teardown there. */
  const spyOnSubs = (socket: Socket) => {
    const { subs } = internals(socket);
    expect(Array.isArray(subs), `${UPDATE}: Socket#subs is no longer an array`).toBe(true);
    const teardown = vi.fn();
    (subs as (() => void)[]).push(teardown);
    return teardown;
  };
  const expectSubsRunAndDropped = async (socket: Socket, teardown: () => void) => {
    await vi.waitFor(() => expect(teardown, `${UPDATE}: Socket#destroy no longer runs Socket#subs`).toHaveBeenCalledOnce());
    expect(internals(socket).subs, `${UPDATE}: Socket#destroy no longer drops Socket#subs`).toBeUndefined();
    expect(socket.active).toBe(false);
  };

  it('should run and drop every function of Socket#subs when the socket disconnects', async () => {
    const socket = new Socket(manager, '/ns/a').connect();
    const teardown = spyOnSubs(socket);
    await untilConnected(socket);

    socket.disconnect();

    await expectSubsRunAndDropped(socket, teardown);
  });

  it('should run and drop every function of Socket#subs when the server refuses the namespace', async () => {
    const socket = new Socket(manager, '/refused').connect();
    const teardown = spyOnSubs(socket);

    await expectSubsRunAndDropped(socket, teardown);
  });

  it('should create new Socket#subs and a new listener when the same socket connects again', async () => {
    const socket = new Socket(manager, '/ns/a').connect();
    await untilConnected(socket);
    const first = [...manager.listeners('packet')];
    socket.disconnect();

    socket.connect();

    expect(Array.isArray(internals(socket).subs), `${UPDATE}: a second connect no longer creates Socket#subs`).toBe(true);
    expect(manager.listeners('packet').filter((listener) => !first.includes(listener))).toHaveLength(1);
  });

  it('should keep Socket#subs while the Manager closes, so sockets reconnect when it opens again', async () => {
    const root = manager.socket('/');
    const socket = new Socket(manager, '/ns/a').connect();
    await untilConnected(socket);
    const { subs } = internals(socket);

    root.disconnect();
    await vi.waitFor(() => expect(socket.connected).toBe(false));

    expect(internals(socket).subs, `${UPDATE}: a Manager close now tears down Socket#subs`).toBe(subs);
    root.connect();
    await untilConnected(socket);
  });

  it('should route a job socket with the installed socket.io-client', async () => {
    const { socket, heard } = jobSocket(manager, '/ns/a');

    expect(connectRouted(socket), `${UPDATE}: connectRouted no longer recognizes its internals`).toBe(true);
    await untilConnected(socket);
    const [remote] = await server.connected('/ns/a');
    remote!.emit('news', 'routed');
    await settled(socket);
    expect(heard).toEqual(['routed']);
  });
});
