package io.swarmcdn.origin.tracker.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import java.nio.charset.StandardCharsets;

/**
 * One simulated WebTorrent peer on its own WebSocket: announces to its swarm (plain, or with
 * offers, in a closed loop: the next announce goes out when the reply to the previous one came
 * back) and answers every offer the tracker forwards to it, like a browser would.
 *
 * <p>Peer ids, info-hashes and offer ids are 20 printable ASCII characters, valid binary strings
 * that need no JSON escaping, so messages are built and scanned without a JSON library, and
 * received frames are scanned as bytes (never decoded to a String): the generator must cost far
 * less CPU than the tracker it loads. Each offer's SDP carries the
 * {@link System#nanoTime()} of its sending (same JVM for sender and receiver), and the answer
 * echoes it, which gives relay latencies without clock sync.
 */
final class LoadPeer extends SimpleChannelInboundHandler<TextWebSocketFrame> {

  private static final byte[] TS_MARK = ascii("a=x-bench-ts:");
  private static final byte[] OFFER_KEY = ascii("\"offer\":");
  private static final byte[] ANSWER_KEY = ascii("\"answer\":");
  private static final byte[] INTERVAL_KEY = ascii("\"interval\":");
  private static final byte[] PEER_ID_KEY = ascii("\"peer_id\":\"");
  private static final byte[] OFFER_ID_KEY = ascii("\"offer_id\":\"");
  private static final byte[] ANSWER_SDP_OPEN = ascii("\",\"answer\":{\"type\":\"answer\",\"sdp\":\"");
  private static final byte[] ANSWER_SDP_CLOSE = ascii("\\r\\n\"},\"offer_id\":\"");
  private static final byte[] CLOSE = ascii("\"}");
  private static final int ID_LENGTH = 20;

  private final TrackerLoad load;
  private final String peerId;
  private final String infoHash;
  /** The start of every answer of this peer, up to the value of {@code to_peer_id}. */
  private final byte[] answerHead;
  private Channel channel;
  private long offerCounter;
  private boolean awaitingReply;
  private boolean joined;

  LoadPeer(TrackerLoad load, int index, String infoHash) {
    this.load = load;
    this.peerId = String.format("-BN0001-%012d", index);
    this.infoHash = infoHash;
    this.answerHead = ascii("{\"action\":\"announce\",\"info_hash\":\"" + infoHash
        + "\",\"peer_id\":\"" + peerId + "\",\"to_peer_id\":\"");
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
    ByteBuf message = frame.content();
    // Runs on this channel's event loop, like every other method touching the fields.
    long now = System.nanoTime();
    LoadStats stats = load.stats();
    int from;
    if ((from = indexOf(message, OFFER_KEY, message.readerIndex())) >= 0) {
      long sentAt = timestamp(message, from);
      stats.offersReceived.increment();
      stats.offerLatency.record(now - sentAt);
      int peer = valueOf(message, PEER_ID_KEY);
      int offerId = valueOf(message, OFFER_ID_KEY);
      if (peer >= 0 && offerId >= 0 && load.phase() != TrackerLoad.Phase.IDLE) {
        channel.writeAndFlush(new TextWebSocketFrame(answer(message, peer, offerId, sentAt)));
        stats.answersSent.increment();
      }
    } else if ((from = indexOf(message, ANSWER_KEY, message.readerIndex())) >= 0) {
      stats.answersReceived.increment();
      stats.answerRoundTrip.record(now - timestamp(message, from));
    } else if (indexOf(message, INTERVAL_KEY, message.readerIndex()) >= 0) {
      stats.announceReplies.increment();
      awaitingReply = false;
      announceIfIdle();
    } else {
      String text = message.toString(StandardCharsets.UTF_8);
      if (text.contains("\"failure reason\"")) {
        stats.failures.increment();
        stats.noteError(text);
        awaitingReply = false;
      }
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

  /**
   * The answer to the offer in {@code offer}, written as bytes: the ids are copied from the offer
   * ({@code peer} and {@code offerId} index their 20 chars), the rest is fixed per peer.
   */
  private ByteBuf answer(ByteBuf offer, int peer, int offerId, long sentAt) {
    byte[] sdp = load.answerSdp();
    ByteBuf out = channel.alloc().buffer(answerHead.length + sdp.length + 128);
    out.writeBytes(answerHead).writeBytes(offer, peer, ID_LENGTH).writeBytes(ANSWER_SDP_OPEN)
        .writeBytes(sdp);
    ByteBufUtil.writeAscii(out, Long.toString(sentAt));
    return out.writeBytes(ANSWER_SDP_CLOSE).writeBytes(offer, offerId, ID_LENGTH).writeBytes(CLOSE);
  }

  /** The bench timestamp in the SDP after {@code from}; now if there is none. */
  private static long timestamp(ByteBuf message, int from) {
    int at = indexOf(message, TS_MARK, from);
    if (at < 0) {
      return System.nanoTime();
    }
    int i = at + TS_MARK.length;
    boolean negative = message.getByte(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    for (byte b; i < message.writerIndex() && (b = message.getByte(i)) >= '0' && b <= '9'; i++) {
      value = value * 10 + (b - '0');
    }
    return negative ? -value : value;
  }

  /**
   * Index of the 20-char value of string field {@code key} (given as {@code "name":"}); our ids
   * are plain ASCII, so no unescaping is needed. -1 if absent.
   */
  private static int valueOf(ByteBuf message, byte[] key) {
    int at = indexOf(message, key, message.readerIndex());
    return at < 0 || at + key.length + ID_LENGTH > message.writerIndex() ? -1 : at + key.length;
  }

  /** Index of {@code needle} in {@code message} from {@code from}, or -1. */
  private static int indexOf(ByteBuf message, byte[] needle, int from) {
    int last = message.writerIndex() - needle.length;
    for (int i = from; i <= last && (i = message.indexOf(i, last + 1, needle[0])) >= 0; i++) {
      int k = 1;
      while (k < needle.length && message.getByte(i + k) == needle[k]) {
        k++;
      }
      if (k == needle.length) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
