package io.swarmcdn.origin.tracker.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Takes a client's ordinary messages off the connection before Netty's frame decoder: each
 * complete, unfragmented, masked text frame (RFC 6455 section 5.2) no larger than the limit is
 * copied once into the tracker's array and unmasked there (section 5.3), then handed to the
 * {@link Sink}. Netty's decoder copied each payload into a new pooled buffer and unmasked it in
 * place through the buffer's accessors, a tenth of the tracker's samples under load (JFR), and
 * the tracker then copied it again into its array.
 *
 * <p>Every other frame goes on, as the bytes that arrived, to Netty's decoder (and its frame
 * aggregator) behind this handler, which handles it exactly as before: pings, pongs, binary
 * frames, fragmented messages (with control frames between the fragments), the close handshake,
 * and every protocol violation (reserved bits or opcodes, an unmasked frame, a length over the
 * limit or not in its shortest form: close 1002 or 1009). A frame that decoder takes whole
 * leaves it between frames, so the next one may take the short path again; after a frame it will
 * refuse, and after a close frame (whatever follows is ignored), all bytes go to it.
 *
 * <p>Installed by the upgrade in the task that completes the handshake, when Netty's decoder has
 * read nothing yet; until the tracker {@link #attach attaches} its sink, text frames go to
 * Netty's decoder too. (A client that sends frames before it receives the handshake's response,
 * against RFC 6455 section 4.1, may have part of a frame read by that decoder already: its
 * connection then fails like any other with a protocol violation.)
 */
final class MaskedTextFrames extends ByteToMessageDecoder {

  static final String NAME = "swarmcdn.textFrames";

  /** The name Netty's server handshaker gives the frame decoder this handler goes in front of. */
  static final String NETTY_DECODER = "wsdecoder";

  /** Where complete text messages go. Both methods run on the connection's event loop. */
  interface Sink {

    /** An array of at least {@code length} bytes (at most the limit), to receive a message. */
    byte[] array(int length);

    /** The UTF-8 text message in {@code bytes[0, length)}; the array is only read during the call. */
    void onText(byte[] bytes, int length);
  }

  private static final int FIN_TEXT = 0x81;
  private static final int MASKED = 0x80;
  private static final int OPCODE_CONTINUATION = 0x0;
  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_BINARY = 0x2;
  private static final int OPCODE_CLOSE = 0x8;
  private static final int OPCODE_PONG = 0xA;
  private static final int MAX_CONTROL_PAYLOAD = 125;
  /** {@link #passing}: every byte from now on goes to Netty's decoder. */
  private static final long ALL = Long.MAX_VALUE;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final int maxPayloadLength;
  private Sink sink;
  /** Bytes still to hand on to Netty's decoder: the rest of the frame it is reading, or {@link #ALL}. */
  private long passing;
  /** A fragmented message has begun and not ended: its frames are Netty's (and its aggregator's). */
  private boolean fragmented;

  MaskedTextFrames(int maxPayloadLength) {
    this.maxPayloadLength = maxPayloadLength;
  }

  /** On the event loop: text messages go to {@code sink} from the next frame on. */
  void attach(Sink sink) {
    this.sink = sink;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (passing > 0) {
      pass(in, out);
      return;
    }
    int readable = in.readableBytes();
    if (readable < 2) {
      return;
    }
    int at = in.readerIndex();
    int first = in.getUnsignedByte(at);
    int second = in.getUnsignedByte(at + 1);
    int length7 = second & 0x7f;
    int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    int headerLength = 2 + lengthBytes + ((second & MASKED) != 0 ? 4 : 0);
    if (readable < headerLength) {
      return;
    }
    long length =
        lengthBytes == 0 ? length7 : lengthBytes == 2 ? in.getUnsignedShort(at + 2) : in.getLong(at + 2);
    // Netty's decoder refuses a length not in its shortest form (and a negative one).
    boolean shortest = lengthBytes == 0 || (lengthBytes == 2 ? length >= 126 : length > 0xffff);
    if (sink == null
        || first != FIN_TEXT
        || (second & MASKED) == 0
        || fragmented
        || !shortest
        || length > maxPayloadLength) {
      passing = frameToNetty(first, second, shortest, length, headerLength);
      pass(in, out);
      return;
    }
    int payloadLength = (int) length;
    if (readable < headerLength + payloadLength) {
      return; // the cumulation holds at most one frame within the limit
    }
    int mask = in.getInt(at + headerLength - 4);
    byte[] bytes = sink.array(payloadLength);
    in.getBytes(at + headerLength, bytes, 0, payloadLength);
    in.skipBytes(headerLength + payloadLength);
    unmask(bytes, payloadLength, mask);
    sink.onText(bytes, payloadLength);
  }

  /**
   * How many bytes Netty's decoder gets for the frame whose header is {@code first}, {@code
   * second}: the frame, if that decoder accepts it and is between frames after it (the checks of
   * RFC 6455 section 5 that it makes), else {@link #ALL}.
   */
  private long frameToNetty(int first, int second, boolean shortest, long length, int headerLength) {
    boolean fin = (first & 0x80) != 0;
    int opcode = first & 0x0f;
    if ((first & 0x70) != 0 || (second & MASKED) == 0 || !shortest) {
      return ALL; // reserved bits without an extension, unmasked, or a malformed length
    }
    if ((opcode & 0x8) != 0) {
      if (opcode > OPCODE_PONG || !fin || length > MAX_CONTROL_PAYLOAD || opcode == OPCODE_CLOSE) {
        return ALL; // refused; or a close frame: nothing after it is read any more
      }
      return headerLength + length;
    }
    if (opcode > OPCODE_BINARY
        || length > maxPayloadLength
        || (opcode == OPCODE_CONTINUATION) != fragmented) {
      return ALL;
    }
    fragmented = !fin;
    return headerLength + length;
  }

  private void pass(ByteBuf in, List<Object> out) {
    int bytes = (int) Math.min(in.readableBytes(), passing);
    if (bytes == 0) {
      return;
    }
    // Returning after each piece lets the decoder behind handle it before anything later here.
    out.add(in.readRetainedSlice(bytes));
    if (passing != ALL) {
      passing -= bytes;
    }
  }

  /** XORs byte i with byte (i mod 4) of the big-endian {@code mask}, eight bytes at a time. */
  static void unmask(byte[] bytes, int length, int mask) {
    long mask8 = (mask & 0xFFFFFFFFL) << 32 | (mask & 0xFFFFFFFFL);
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ mask8);
    }
    for (; i < length; i++) {
      bytes[i] ^= (byte) (mask >>> 24 - 8 * (i & 3));
    }
  }
}
