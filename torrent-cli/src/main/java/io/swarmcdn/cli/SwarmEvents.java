package io.swarmcdn.cli;

import io.swarmcdn.torrent.engine.EngineListener;
import io.swarmcdn.torrent.engine.Peer;
import io.swarmcdn.torrent.metainfo.Info;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Engine events for the command line: noteworthy ones (bans, failed pieces, storage errors) go to
 * stderr; completion and fatal errors are kept for the command's main thread. Called on the
 * engine's thread.
 */
final class SwarmEvents implements EngineListener {
  private final PrintStream err;
  final CountDownLatch complete = new CountDownLatch(1);
  private volatile String fatal;

  SwarmEvents(PrintStream err) {
    this.err = err;
  }

  /** A storage failure or similar: the download cannot finish. Null while all is well. */
  String fatal() {
    return fatal;
  }

  void fail(String message) {
    fatal = message;
    complete.countDown();
  }

  @Override
  public void peerClosed(Peer peer, String reason) {
    err.println("peer " + peer.address() + " disconnected: " + reason);
  }

  @Override
  public void peerBanned(String address, String reason) {
    err.println("banned peer " + address + ": " + reason);
  }

  @Override
  public void pieceFailed(int piece) {
    err.println("piece " + piece + " failed verification; fetching it again");
  }

  @Override
  public void metadataReceived(Info info) {
    err.println("metadata received: " + info.name() + ", " + Sizes.human(info.totalLength())
        + ", " + info.pieceCount() + " pieces");
  }

  @Override
  public void downloadComplete() {
    complete.countDown();
  }

  @Override
  public void storageFailed(String what, RuntimeException error) {
    fail("storage failed (" + what + "): " + error.getMessage());
  }
}
