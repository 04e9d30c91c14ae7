package io.swarmcdn.cli;

import io.swarmcdn.torrent.peerwire.Bitfield;
import io.swarmcdn.torrent.peerwire.Handshake;
import io.swarmcdn.torrent.peerwire.MessageId;
import io.swarmcdn.torrent.peerwire.WireDecoder;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import io.swarmcdn.torrent.peerwire.WireHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A malicious peer for tests, built on torrent-core's wire codec: it claims to have every piece,
 * unchokes at once and answers every request quickly with random bytes of the right length. Real
 * sockets on 127.0.0.1; one thread per connection.
 */
final class CorruptPeer implements AutoCloseable {

  private final ServerSocket server;
  private final byte[] infoHash;
  private final int pieceCount;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong blocksSent = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();

  CorruptPeer(byte[] infoHash, int pieceCount) throws IOException {
    this.infoHash = infoHash.clone();
    this.pieceCount = pieceCount;
    server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "corrupt-peer");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  long blocksSent() {
    return blocksSent.get();
  }

  long connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        connections.incrementAndGet();
        Thread t = new Thread(() -> serve(s), "corrupt-peer-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      OutputStream out = s.getOutputStream();
      Random random = new Random();
      byte[] peerId = "-XX0001-corruptcorru".getBytes();
      out.write(new Handshake(Handshake.reserved(false, false), infoHash, peerId).encode());
      out.write(WireEncoder.bitfield(Bitfield.full(pieceCount)));
      out.write(WireEncoder.simple(MessageId.UNCHOKE));
      out.flush();
      WireDecoder decoder = new WireDecoder(new Liar(out, random), true,
          Bitfield.byteLength(pieceCount), 1 << 20);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        decoder.feed(buf, 0, n);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the victim hung up on us (banned): that is the point
    }
  }

  /** Answers requests with garbage; ignores everything else. */
  private final class Liar implements WireHandler {
    private final OutputStream out;
    private final Random random;

    Liar(OutputStream out, Random random) {
      this.out = out;
      this.random = random;
    }

    @Override
    public void onRequest(int piece, int begin, int length) {
      byte[] msg = new byte[WireEncoder.PIECE_HEADER_LENGTH + length];
      WireEncoder.writePieceHeader(msg, 0, piece, begin, length);
      byte[] junk = new byte[length];
      random.nextBytes(junk);
      System.arraycopy(junk, 0, msg, WireEncoder.PIECE_HEADER_LENGTH, length);
      try {
        out.write(msg);
        blocksSent.incrementAndGet();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override public void onHandshake(Handshake handshake) { }
    @Override public void onKeepAlive() { }
    @Override public void onChoke() { }
    @Override public void onUnchoke() { }
    @Override public void onInterested() { }
    @Override public void onNotInterested() { }
    @Override public void onHave(int piece) { }
    @Override public void onBitfield(byte[] src, int offset, int length) { }
    @Override public void onPiece(int piece, int begin, byte[] src, int offset, int length) { }
    @Override public void onCancel(int piece, int begin, int length) { }
    @Override public void onSuggest(int piece) { }
    @Override public void onHaveAll() { }
    @Override public void onHaveNone() { }
    @Override public void onReject(int piece, int begin, int length) { }
    @Override public void onAllowedFast(int piece) { }
    @Override public void onExtended(int extendedId, byte[] src, int offset, int length) { }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
