package io.swarmcdn.origin.tracker.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client WebSocket text frames (RFC 6455 section 5.2) made around a payload that a peer writes
 * into a buffer of its own: the header goes into room left before the payload, and the payload
 * is masked in place. Netty's frame encoder instead copies each payload into a new buffer to mask
 * it, which was a sixth of the load generator's CPU (JFR), time taken from the tracker it loads
 * on the same cores. The frames are the ones that encoder writes: FIN, text, the shortest length
 * form and a fresh random masking key each. Written to the channel as plain buffers, they pass
 * the encoder untouched.
 */
final class MaskedFrames {

  /** The longest header: 2 bytes, 8 of extended payload length, 4 of masking key. */
  private static final int MAX_HEADER = 14;

  private static final int FIN_TEXT = 0x81;
  private static final int MASKED = 0x80;

  private MaskedFrames() {}

  /** A buffer to write a payload of about {@code capacity} bytes into, for {@link #text}. */
  static ByteBuf payloadBuffer(ByteBufAllocator alloc, int capacity) {
    ByteBuf buffer = alloc.directBuffer(MAX_HEADER + capacity);
    return buffer.writerIndex(MAX_HEADER).readerIndex(MAX_HEADER);
  }

  /**
   * Turns {@code payload}, written into a {@link #payloadBuffer}, into a complete masked text
   * frame (the same buffer, its reader index moved back to the header).
   */
  static ByteBuf text(ByteBuf payload) {
    int length = payload.readableBytes();
    int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
    int start = payload.readerIndex() - 2 - lengthBytes - 4;
    int mask = ThreadLocalRandom.current().nextInt();
    payload.setByte(start, FIN_TEXT);
    if (lengthBytes == 0) {
      payload.setByte(start + 1, MASKED | length);
    } else if (lengthBytes == 2) {
      payload.setByte(start + 1, MASKED | 126).setShort(start + 2, length);
    } else {
      payload.setByte(start + 1, MASKED | 127).setLong(start + 2, length);
    }
    payload.setInt(start + 2 + lengthBytes, mask);
    if (payload.hasMemoryAddress()) {
      maskInPlace(payload.memoryAddress() + payload.readerIndex(), length, mask);
    } else {
      maskInPlace(payload.nioBuffer(payload.readerIndex(), length).order(ByteOrder.BIG_ENDIAN), mask);
    }
    return payload.readerIndex(start);
  }

  /**
   * {@link #maskInPlace(ByteBuffer, int)} on the {@code length} bytes at native {@code address}
   * (a direct buffer's memory): the ByteBuffer's checked accessors were still an eighth of the
   * generator's samples (JFR).
   */
  static void maskInPlace(long address, int length, int mask) {
    long mask8 = (mask & 0xFFFFFFFFL) << 32 | (mask & 0xFFFFFFFFL);
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      mask8 = Long.reverseBytes(mask8); // byte i of the payload meets byte (i mod 4) of the key
    }
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      PlatformDependent.putLong(address + i, PlatformDependent.getLong(address + i) ^ mask8);
    }
    for (; i < length; i++) {
      PlatformDependent.putByte(address + i,
          (byte) (PlatformDependent.getByte(address + i) ^ mask >>> 24 - 8 * (i & 3)));
    }
  }

  /** XORs byte i with byte (i mod 4) of the big-endian {@code mask}, eight bytes at a time. */
  static void maskInPlace(ByteBuffer bytes, int mask) {
    long mask8 = (mask & 0xFFFFFFFFL) << 32 | (mask & 0xFFFFFFFFL);
    int base = bytes.position();
    int length = bytes.remaining();
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      bytes.putLong(base + i, bytes.getLong(base + i) ^ mask8);
    }
    for (; i < length; i++) {
      bytes.put(base + i, (byte) (bytes.get(base + i) ^ mask >>> 24 - 8 * (i & 3)));
    }
  }
}
