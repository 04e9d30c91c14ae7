package io.swarmcdn.origin.tracker.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
 * that need no JSON escaping, so messages are written as bytes from pre-encoded pieces without a
 * JSON library, and received frames are scanned as bytes (never decoded to a String): the
 * generator shares the machine's cores with the tracker it loads, so every microsecond it spends
 * is taken from the tracker. For the same reason, what a peer writes while handling the frames of
 * one read (its answers, its next announce) is flushed once when the read completes: the same
 * frames in fewer syscalls, for both trackers alike. Each offer's SDP carries the
 * {@link System#nanoTime()} of its sending (same JVM for sender and receiver), and the answer
 * echoes it, which gives relay latencies without clock sync. The tracker's frames are read by
 * {@link ServerFrames} once the handshake is done, not by Netty's decoder and aggregator.
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
  private static final byte[] ANNOUNCE_STATE = ascii(",\"uploaded\":0,\"downloaded\":0,\"left\":1048576");
  private static final byte[] STARTED = ascii(",\"event\":\"started\"");
  private static final byte[] OFFERS_OPEN = ascii(",\"offers\":[");
  private static final byte[] OFFER_SDP_OPEN = ascii("{\"offer\":{\"type\":\"offer\",\"sdp\":\"");
  private static final byte[] OFFERS_CLOSE = ascii("]}");
  /** Offer ids: the last 12 chars of the peer id, then a counter of 8 digits (20 chars). */
  private static final int OFFER_COUNTER_DIGITS = 8;
  private static final long OFFER_COUNTER_MODULUS = 100_000_000L;
  private static final int ID_LENGTH = 20;

  private final TrackerLoad load;
  private final String peerId;
  private final String infoHash;
  /** The start of every answer of this peer, up to the value of {@code to_peer_id}. */
  private final byte[] answerHead;
  /** The start of every announce of this peer, up to the value of {@code numwant}. */
  private final byte[] announceHead;
  /** What precedes the counter in each offer id: the SDP's end and this peer's id prefix. */
  private final byte[] offerIdHead;
  private Channel channel;
  /** Frames written since the last flush (flushed when the current read completes). */
  private boolean unflushed;
  private long offerCounter;
  private boolean awaitingReply;
  private boolean joined;

  LoadPeer(TrackerLoad load, int index, String infoHash) {
    this.load = load;
    this.peerId = String.format("-BN0001-%012d", index);
    this.infoHash = infoHash;
    this.answerHead = ascii("{\"action\":\"announce\",\"info_hash\":\"" + infoHash
        + "\",\"peer_id\":\"" + peerId + "\",\"to_peer_id\":\"");
    this.announceHead = ascii("{\"action\":\"announce\",\"info_hash\":\"" + infoHash
        + "\",\"peer_id\":\"" + peerId + "\",\"numwant\":");
    this.offerIdHead = ascii("\\r\\n\"},\"offer_id\":\"" + peerId.substring(8));
  }

  boolean isOpen() {
    return channel != null && channel.isActive();
  }

  /** Sends the next announce of the current phase, unless one is still unanswered. */
  void kick() {
    channel.eventLoop().execute(() -> {
      announceIfIdle();
      flushIfNeeded();
    });
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
      // Nothing was sent yet, so nothing is on its way back: the decoder is between frames.
      if (ctx.pipeline().get(ServerFrames.NETTY_DECODER) != null) {
        ctx.pipeline().replace(
            ServerFrames.NETTY_DECODER, ServerFrames.NAME, new ServerFrames(this, load.stats()));
      }
      load.stats().connected.increment();
      announceIfIdle();
      flushIfNeeded();
    } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      load.stats().connectFailures.increment();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    flushIfNeeded();
    super.channelReadComplete(ctx);
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
    onText(frame.content());
  }

  /** A text message of the tracker, read during the call ({@link ServerFrames}, or a frame). */
  void onText(ByteBuf message) {
    // Runs on this channel's event loop, like every other method touching the fields.
    long now = System.nanoTime();
    LoadStats stats = load.stats();
    // The first of these keys tells the kind of message; both trackers write it near the start.
    int end = message.writerIndex();
    for (int at = message.readerIndex(); (at = message.indexOf(at, end, (byte) '"')) >= 0; at++) {
      if (startsAt(message, at, OFFER_KEY)) {
        onOffer(message, at, now, stats);
        return;
      }
      if (startsAt(message, at, ANSWER_KEY)) {
        stats.answersReceived.increment();
        int mark = lastIndexOf(message, TS_MARK, at);
        stats.answerRoundTrip.record(now - (mark < 0 ? now : timestampAt(message, mark)));
        return;
      }
      if (startsAt(message, at, INTERVAL_KEY)) {
        stats.announceReplies.increment();
        awaitingReply = false;
        announceIfIdle();
        return;
      }
    }
    String text = message.toString(StandardCharsets.UTF_8);
    if (text.contains("\"failure reason\"")) {
      stats.failures.increment();
      stats.noteError(text);
      awaitingReply = false;
    }
  }

  /** A relayed offer whose {@code "offer":} key is at {@code at}: answered at once. */
  private void onOffer(ByteBuf message, int at, long now, LoadStats stats) {
    int mark = lastIndexOf(message, TS_MARK, at);
    long sentAt = mark < 0 ? now : timestampAt(message, mark);
    stats.offersReceived.increment();
    stats.offerLatency.record(now - sentAt);
    // Both trackers write the ids after the offer: look past its SDP first.
    int idsFrom = mark < 0 ? message.readerIndex() : mark;
    int peer = valueOf(message, PEER_ID_KEY, idsFrom);
    int offerId = valueOf(message, OFFER_ID_KEY, idsFrom);
    if (peer >= 0 && offerId >= 0 && load.phase() != TrackerLoad.Phase.IDLE) {
      write(MaskedFrames.text(answer(message, peer, offerId, sentAt)));
      stats.answersSent.increment();
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
    write(MaskedFrames.text(announce(channel.alloc(), phase == TrackerLoad.Phase.JOIN, offers)));
    load.stats().announcesSent.increment();
    load.stats().offersSent.add(offers);
  }

  /** Writes a complete frame ({@link MaskedFrames}), flushed when the current read completes. */
  private void write(ByteBuf frame) {
    channel.write(frame, channel.voidPromise());
    unflushed = true;
  }

  private void flushIfNeeded() {
    if (unflushed) {
      unflushed = false;
      channel.flush();
    }
  }

  /**
   * An announce with {@code offers} offers, each a browser-sized SDP whose last line carries the
   * {@link System#nanoTime()} of now, in a {@link MaskedFrames#payloadBuffer} (the message is
   * ASCII).
   */
  ByteBuf announce(ByteBufAllocator alloc, boolean started, int offers) {
    byte[] sdp = load.sdpUpToTimestamp();
    ByteBuf out = MaskedFrames.payloadBuffer(alloc, announceHead.length + 128 + offers * (sdp.length + 96));
    out.writeBytes(announceHead);
    writeDecimal(out, offers, 1);
    out.writeBytes(ANNOUNCE_STATE);
    if (started) {
      out.writeBytes(STARTED);
    }
    out.writeBytes(OFFERS_OPEN);
    byte[] now = ascii(Long.toString(System.nanoTime()));
    for (int i = 0; i < offers; i++) {
      if (i > 0) {
        out.writeByte(',');
      }
      out.writeBytes(OFFER_SDP_OPEN).writeBytes(sdp).writeBytes(now);
      out.writeBytes(offerIdHead);
      writeDecimal(out, offerCounter++ % OFFER_COUNTER_MODULUS, OFFER_COUNTER_DIGITS);
      out.writeBytes(CLOSE);
    }
    return out.writeBytes(OFFERS_CLOSE);
  }

  /** Writes {@code value} (not negative) in decimal, left-padded with zeros to {@code digits}. */
  private static void writeDecimal(ByteBuf out, long value, int digits) {
    int length = Math.max(digits, value == 0 ? 1 : (int) Math.log10(value) + 1);
    int end = out.writerIndex() + length;
    out.ensureWritable(length);
    for (int at = end - 1; at >= end - length; at--) {
      out.setByte(at, (int) ('0' + value % 10));
      value /= 10;
    }
    out.writerIndex(end);
  }

  /**
   * The answer to the offer in {@code offer}, written as bytes: the ids are copied from the offer
   * ({@code peer} and {@code offerId} index their 20 chars), the rest is fixed per peer.
   */
  private ByteBuf answer(ByteBuf offer, int peer, int offerId, long sentAt) {
    byte[] sdp = load.sdpUpToTimestamp();
    ByteBuf out = MaskedFrames.payloadBuffer(channel.alloc(), answerHead.length + sdp.length + 128);
    out.writeBytes(answerHead).writeBytes(offer, peer, ID_LENGTH).writeBytes(ANSWER_SDP_OPEN)
        .writeBytes(sdp);
    ByteBufUtil.writeAscii(out, Long.toString(sentAt));
    return out.writeBytes(ANSWER_SDP_CLOSE).writeBytes(offer, offerId, ID_LENGTH).writeBytes(CLOSE);
  }

  /**
   * The bench timestamp whose mark ({@code a=x-bench-ts:}) is at {@code mark}. Marks are found
   * from the end: a relayed message carries one SDP and its timestamp is its last line, while a
   * forward search stops at every {@code a} of the SDP.
   */
  private static long timestampAt(ByteBuf message, int mark) {
    int i = mark + TS_MARK.length;
    boolean negative = i < message.writerIndex() && message.getByte(i) == '-';
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
   * Index of the 20-char value of string field {@code key} (given as {@code "name":"}), looked
   * for from {@code from}, then from the start; our ids are plain ASCII, so no unescaping is
   * needed. -1 if absent.
   */
  private static int valueOf(ByteBuf message, byte[] key, int from) {
    int at = indexOf(message, key, from);
    if (at < 0 && from > message.readerIndex()) {
      at = indexOf(message, key, message.readerIndex());
    }
    return at < 0 || at + key.length + ID_LENGTH > message.writerIndex() ? -1 : at + key.length;
  }

  /** Index of {@code needle} in {@code message} from {@code from}, or -1. */
  private static int indexOf(ByteBuf message, byte[] needle, int from) {
    int last = message.writerIndex() - needle.length;
    for (int i = from; i <= last && (i = message.indexOf(i, last + 1, needle[0])) >= 0; i++) {
      if (startsAt(message, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the last {@code needle} in {@code message} at or after {@code from}, or -1. */
  private static int lastIndexOf(ByteBuf message, byte[] needle, int from) {
    // indexOf(a, b, byte) with a > b searches from a - 1 down to b.
    for (int i = message.writerIndex() - needle.length;
        i >= from && (i = message.indexOf(i + 1, from, needle[0])) >= 0; i--) {
      if (startsAt(message, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsAt(ByteBuf message, int at, byte[] needle) {
    if (at + needle.length > message.writerIndex()) {
      return false;
    }
    int k = 1;
    while (k < needle.length && message.getByte(at + k) == needle[k]) {
      k++;
    }
    return k == needle.length;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
