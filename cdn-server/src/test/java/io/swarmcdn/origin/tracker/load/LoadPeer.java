package io.swarmcdn.origin.tracker.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;

/**
 * One simulated WebTorrent peer on its own WebSocket: announces to its swarm (plain, or with
 * offers, in a closed loop: the next announce goes out when the reply to the previous one came
 * back) and answers every offer the tracker forwards to it, like a browser would.
 *
 * <p>Peer ids, info-hashes and offer ids are 20 printable ASCII characters, valid binary strings
 * that need no JSON escaping, so messages are built and scanned without a JSON library: the
 * generator must cost far less CPU than the tracker it loads. Each offer's SDP carries the
 * {@link System#nanoTime()} of its sending (same JVM for sender and receiver), and the answer
 * echoes it, which gives relay latencies without clock sync.
 */
final class LoadPeer extends SimpleChannelInboundHandler<TextWebSocketFrame> {

  private static final String TS_MARK = "a=x-bench-ts:";

  private final TrackerLoad load;
  private final String peerId;
  private final String infoHash;
  private Channel channel;
  private long offerCounter;
  private boolean awaitingReply;
  private boolean joined;

  LoadPeer(TrackerLoad load, int index, String infoHash) {
    this.load = load;
    this.peerId = String.format("-BN0001-%012d", index);
    this.infoHash = infoHash;
  }

  boolean isOpen() {
    return channel != null && channel.isActive();
  }

  /** Sends the next announce of the current phase, unless one is still unanswered. */
  void kick() {
    channel.eventLoop().execute(this::announceIfIdle);
  }

  void close() {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      channel = ctx.channel();
      load.stats().connected.increment();
      announceIfIdle();
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      load.stats().connectFailures.increment();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    load.stats().disconnected.increment();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    load.stats().noteError(cause.toString());
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
    String message = frame.text();
    // Runs on this channel's event loop, like every other method touching the fields.
    long now = System.nanoTime();
    LoadStats stats = load.stats();
    if (message.contains("\"failure reason\"")) {
      stats.failures.increment();
      stats.noteError(message);
      awaitingReply = false;
    } else if (message.contains("\"offer\"")) {
      long sentAt = timestamp(message);
      stats.offersReceived.increment();
      stats.offerLatency.record(now - sentAt);
      String from = stringField(message, "peer_id");
      String offerId = stringField(message, "offer_id");
      if (from != null && offerId != null && load.phase() != TrackerLoad.Phase.IDLE) {
        channel.writeAndFlush(frame(answer(from, offerId, sentAt)));
        stats.answersSent.increment();
      }
    } else if (message.contains("\"answer\"")) {
      stats.answersReceived.increment();
      stats.answerRoundTrip.record(now - timestamp(message));
    } else if (message.contains("\"interval\"")) {
      stats.announceReplies.increment();
      awaitingReply = false;
      announceIfIdle();
    }
  }

  private void announceIfIdle() {
    TrackerLoad.Phase phase = load.phase();
    if (awaitingReply || channel == null || phase == TrackerLoad.Phase.IDLE) {
      return;
    }
    if (phase == TrackerLoad.Phase.JOIN) {
      if (joined) {
        return;
      }
      joined = true;
    }
    awaitingReply = true;
    int offers = phase == TrackerLoad.Phase.RELAY ? load.offersPerAnnounce() : 0;
    channel.writeAndFlush(frame(announce(phase == TrackerLoad.Phase.JOIN, offers)));
    load.stats().announcesSent.increment();
    load.stats().offersSent.add(offers);
  }

  /** A text frame in a pooled buffer (our messages are ASCII: one byte per char). */
  private TextWebSocketFrame frame(String json) {
    return new TextWebSocketFrame(ByteBufUtil.writeAscii(channel.alloc(), json));
  }

  private String announce(boolean started, int offers) {
    StringBuilder json = new StringBuilder(128 + offers * (load.sdpTemplateLength() + 96));
    json.append("{\"action\":\"announce\",\"info_hash\":\"").append(infoHash)
        .append("\",\"peer_id\":\"").append(peerId)
        .append("\",\"numwant\":").append(offers)
        .append(",\"uploaded\":0,\"downloaded\":0,\"left\":1048576");
    if (started) {
      json.append(",\"event\":\"started\"");
    }
    json.append(",\"offers\":[");
    long now = System.nanoTime();
    for (int i = 0; i < offers; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"offer\":{\"type\":\"offer\",\"sdp\":\"");
      load.appendSdp(json, now);
      json.append("\"},\"offer_id\":\"").append(peerId, 8, 20);
      appendPadded(json, offerCounter++ % 100_000_000L, 8);
      json.append("\"}");
    }
    return json.append("]}").toString();
  }

  /** Appends {@code value} as exactly {@code digits} decimal digits (offer ids are 20 chars). */
  private static void appendPadded(StringBuilder json, long value, int digits) {
    String text = Long.toString(value);
    for (int i = text.length(); i < digits; i++) {
      json.append('0');
    }
    json.append(text);
  }

  private String answer(String toPeerId, String offerId, long sentAt) {
    StringBuilder json = new StringBuilder(192 + load.sdpTemplateLength());
    json.append("{\"action\":\"announce\",\"info_hash\":\"").append(infoHash)
        .append("\",\"peer_id\":\"").append(peerId)
        .append("\",\"to_peer_id\":\"").append(toPeerId)
        .append("\",\"answer\":{\"type\":\"answer\",\"sdp\":\"");
    load.appendSdp(json, sentAt);
    return json.append("\"},\"offer_id\":\"").append(offerId).append("\"}").toString();
  }

  private static long timestamp(String message) {
    int at = message.indexOf(TS_MARK);
    if (at < 0) {
      return System.nanoTime();
    }
    int start = at + TS_MARK.length();
    int end = start;
    while (end < message.length() && (Character.isDigit(message.charAt(end)) || message.charAt(end) == '-')) {
      end++;
    }
    return Long.parseLong(message, start, end, 10);
  }

  /** The value of a string field; our ids are plain ASCII, so no unescaping is needed. */
  private static String stringField(String message, String name) {
    int key = message.indexOf("\"" + name + "\"");
    if (key < 0) {
      return null;
    }
    int open = message.indexOf('"', message.indexOf(':', key + name.length() + 2) + 1);
    int close = message.indexOf('"', open + 1);
    return open < 0 || close < 0 ? null : message.substring(open + 1, close);
  }
}
