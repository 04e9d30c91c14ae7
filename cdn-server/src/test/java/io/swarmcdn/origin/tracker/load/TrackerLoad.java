package io.swarmcdn.origin.tracker.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * N simulated peers on N WebSockets to one tracker, driven through phases: {@link Phase#JOIN}
 * (connect and announce {@code started}), {@link Phase#ANNOUNCE} (closed loop of plain announces),
 * {@link Phase#RELAY} (closed loop of announces carrying offers, every forwarded offer answered).
 * Client source addresses are spread over 127.0.0.2..127.0.0.201 so that tens of thousands of
 * connections to one port do not exhaust the ephemeral ports of a single source address.
 */
final class TrackerLoad implements AutoCloseable {

  enum Phase { IDLE, JOIN, ANNOUNCE, RELAY }

  private static final int CONNECTS_IN_FLIGHT = 256;

  private final URI uri;
  private final int swarmSize;
  private final int offersPerAnnounce;
  private final byte[] sdpUpToTimestamp;
  private final EventLoopGroup group;
  private final List<LoadPeer> peers = new ArrayList<>();
  private volatile Phase phase = Phase.IDLE;
  private volatile LoadStats stats = new LoadStats();

  TrackerLoad(URI uri, int swarmSize, int offersPerAnnounce, int threads) {
    this.uri = uri;
    this.swarmSize = swarmSize;
    this.offersPerAnnounce = offersPerAnnounce;
    this.sdpUpToTimestamp = (sdpTemplate() + "a=x-bench-ts:").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    // Netty's native epoll transport where it loads (as the origin uses): it costs less CPU per
    // message than the JDK selector, CPU the generator would take from the tracker.
    this.group = new MultiThreadIoEventLoopGroup(threads,
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  Phase phase() {
    return phase;
  }

  LoadStats stats() {
    return stats;
  }

  int offersPerAnnounce() {
    return offersPerAnnounce;
  }

  /**
   * The SDP of every offer and answer up to the value of its timestamp line, as bytes: a
   * browser-sized template (JSON-escaped) and {@code a=x-bench-ts:}.
   */
  byte[] sdpUpToTimestamp() {
    return sdpUpToTimestamp;
  }

  /**
   * Opens {@code count} more peers (swarm = index / swarmSize), each announcing {@code started}
   * once connected; returns when all have been answered or {@code timeoutSeconds} passed.
   */
  void join(int count, int timeoutSeconds) throws InterruptedException {
    phase = Phase.JOIN;
    Bootstrap bootstrap = new Bootstrap().group(group)
        .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000);
    Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    int first = peers.size();
    for (int i = first; i < first + count; i++) {
      if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        break;
      }
      LoadPeer peer = new LoadPeer(this, i, String.format("BENCH-SWARM-%08d", i / swarmSize));
      peers.add(peer);
      InetSocketAddress local = new InetSocketAddress("127.0.0." + (2 + i % 200), 0);
      HandshakeSlot slot = new HandshakeSlot(inFlight);
      bootstrap.clone().handler(initializer(peer, slot))
          .connect(new InetSocketAddress(uri.getHost(), uri.getPort()), local)
          .addListener(f -> {
            if (!f.isSuccess()) {
              stats.connectFailures.increment();
              stats.noteError(String.valueOf(f.cause()));
              slot.release();
            }
          });
    }
    long target = first + count;
    while (System.nanoTime() < deadline
        && stats.announceReplies.sum() + stats.failures.sum() + stats.connectFailures.sum() < target) {
      Thread.sleep(20);
    }
  }

  /** Runs a closed-loop phase for {@code seconds} and returns the counters at its start and end. */
  LoadStats.Snapshot[] run(Phase loop, double warmupSeconds, double seconds) throws InterruptedException {
    phase = loop;
    for (LoadPeer peer : peers) {
      if (peer.isOpen()) {
        peer.kick();
      }
    }
    Thread.sleep((long) (warmupSeconds * 1000));
    stats.offerLatency.reset();
    stats.answerRoundTrip.reset();
    LoadStats.Snapshot start = stats.snapshot();
    Thread.sleep((long) (seconds * 1000));
    LoadStats.Snapshot end = stats.snapshot();
    phase = Phase.IDLE;
    return new LoadStats.Snapshot[] {start, end};
  }

  /** Waits until replies stop arriving (the tracker has drained the previous phase). */
  void quiesce(int maxSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = stats.announceReplies.sum() + stats.offersReceived.sum() + stats.answersReceived.sum();
      if (now == last) {
        return;
      }
      last = now;
      Thread.sleep(500);
    }
  }

  int openPeers() {
    int open = 0;
    for (LoadPeer peer : peers) {
      if (peer.isOpen()) {
        open++;
      }
    }
    return open;
  }

  @Override
  public void close() throws InterruptedException {
    phase = Phase.IDLE;
    peers.forEach(LoadPeer::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  private ChannelInitializer<SocketChannel> initializer(LoadPeer peer, HandshakeSlot slot) {
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .maxFramePayloadLength(1 << 20)
        .handshakeTimeoutMillis(30_000)
        // The generator must stay cheap: the trackers' replies are ASCII JSON, not worth validating.
        .withUTF8Validator(false)
        .build();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
            new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(1 << 20), peer, slot);
      }
    };
  }

  /**
   * An SDP shaped like Chromium's data-channel offer (no trickle ICE: candidates included), about
   * 600 bytes, already escaped for a JSON string.
   */
  private static String sdpTemplate() {
    String fingerprint = "sha-256 " + "4F:".repeat(31) + "4F";
    String[] lines = {
        "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "a=extmap-allow-mixed", "a=msid-semantic: WMS", "m=application 50712 UDP/DTLS/SCTP webrtc-datachannel",
        "c=IN IP4 127.0.0.1",
        "a=candidate:3950882145 1 udp 2113937151 127.0.0.1 50712 typ host generation 0 network-cost 999",
        "a=candidate:2999745851 1 udp 2113939711 ::1 50713 typ host generation 0 network-cost 999",
        "a=ice-ufrag:Xh2n", "a=ice-pwd:6pWnSGqYHbIa3nqGq7kVfsnZ", "a=ice-options:trickle",
        "a=fingerprint:" + fingerprint, "a=setup:actpass", "a=mid:0", "a=sctp-port:5000",
        "a=max-message-size:262144"};
    return String.join("\\r\\n", lines) + "\\r\\n";
  }

  /**
   * Frees one connect slot when the WebSocket handshake has completed or failed: it sits after the
   * peer, which passes every event on.
   */
  private static final class HandshakeSlot extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final Semaphore slots;
    private boolean released;

    HandshakeSlot(Semaphore slots) {
      this.slots = slots;
    }

    @Override
    public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketClientProtocolHandler.ClientHandshakeStateEvent state
          && state != WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_ISSUED) {
        release();
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(io.netty.channel.ChannelHandlerContext ctx) throws Exception {
      release();
      super.channelInactive(ctx);
    }

    private void release() {
      if (!released) {
        released = true;
        slots.release();
      }
    }
  }
}
