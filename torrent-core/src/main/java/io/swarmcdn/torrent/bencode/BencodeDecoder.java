package io.swarmcdn.torrent.bencode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strict decoder for bencode (BEP 3) from untrusted input.
 *
 * <p>Only the canonical encoding is accepted, so that {@code encode(decode(b))} equals {@code b}
 * byte for byte: dictionary keys strictly increasing in raw byte order (no duplicates), no leading
 * zeros in integers or string lengths, no {@code -0}, and (for {@link #decode}) no trailing data.
 *
 * <p>The decoder is iterative (an explicit stack, bounded by {@link BencodeLimits#maxDepth()}),
 * so hostile nesting cannot overflow the call stack, and a string's length is checked against the
 * limits and the remaining input before its bytes are copied. Every problem raises a {@link
 * BencodeException} with the byte offset where it was found.
 */
public final class BencodeDecoder {
  /** A value decoded from the start of a longer input, and the offset just past it. */
  public record Prefix(BValue value, int end) {}

  private final byte[] in;
  private final BencodeLimits limits;
  /** Decoding must not read at or past this index. */
  private final int limit;
  private int pos;
  private int items;

  private BencodeDecoder(byte[] in, int offset, BencodeLimits limits) {
    this.in = in;
    this.limits = limits;
    this.pos = offset;
    this.limit = (int) Math.min(in.length, (long) offset + limits.maxTotalSize());
  }

  /** Decodes exactly one value filling all of {@code in}, with {@link BencodeLimits#DEFAULT}. */
  public static BValue decode(byte[] in) {
    return decode(in, BencodeLimits.DEFAULT);
  }

  /** Decodes exactly one value filling all of {@code in}. */
  public static BValue decode(byte[] in, BencodeLimits limits) {
    if (in.length > limits.maxTotalSize()) {
      throw new BencodeException(
          "input of " + in.length + " bytes exceeds the limit of " + limits.maxTotalSize(),
          limits.maxTotalSize());
    }
    Prefix p = decodePrefix(in, 0, limits);
    if (p.end() != in.length) {
      throw new BencodeException("trailing data after the value", p.end());
    }
    return p.value();
  }

  /**
   * Decodes the one value starting at {@code offset} and reports where it ends; the bytes after it
   * are left alone (BEP 9 metadata messages carry raw bytes after a bencoded dictionary). The
   * value itself may span at most {@link BencodeLimits#maxTotalSize()} bytes.
   */
  public static Prefix decodePrefix(byte[] in, int offset, BencodeLimits limits) {
    if (offset < 0 || offset > in.length) {
      throw new IllegalArgumentException("offset " + offset + " outside input");
    }
    BencodeDecoder d = new BencodeDecoder(in, offset, limits);
    BValue v = d.run();
    return new Prefix(v, d.pos);
  }

  /** An open list or dictionary on the explicit stack. */
  private static final class Frame {
    final List<BValue> list;
    final TreeMap<BString, BValue> dict;
    final Map<BString, ByteSpan> spans;
    final int start;
    BString pendingKey;
    BString lastKey;

    Frame(boolean isDict, int start) {
      this.start = start;
      list = isDict ? null : new ArrayList<>();
      dict = isDict ? new TreeMap<>() : null;
      spans = isDict ? new HashMap<>() : null;
    }
  }

  private BValue run() {
    ArrayList<Frame> stack = new ArrayList<>();
    while (true) {
      int start = pos;
      byte c = peek();
      BValue value;
      if (c == 'e' && !stack.isEmpty()) {
        Frame f = stack.remove(stack.size() - 1);
        pos++;
        if (f.list != null) {
          value = BList.of(f.list);
        } else {
          if (f.pendingKey != null) {
            throw new BencodeException("dictionary key '" + f.pendingKey + "' has no value", start);
          }
          value = new BDictionary(f.dict, f.spans);
        }
        start = f.start; // the span of a container starts at its 'l' or 'd'
      } else {
        Frame top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
        if (top != null && top.dict != null && top.pendingKey == null && !(c >= '0' && c <= '9')) {
          throw new BencodeException("dictionary key must be a byte string", pos);
        }
        countItem();
        if (c == 'l' || c == 'd') {
          if (stack.size() >= limits.maxDepth()) {
            throw new BencodeException("nesting deeper than " + limits.maxDepth(), pos);
          }
          pos++;
          stack.add(new Frame(c == 'd', start));
          continue;
        } else if (c == 'i') {
          value = BInteger.of(readInteger());
        } else if (c >= '0' && c <= '9') {
          value = readString();
        } else {
          throw new BencodeException("unexpected byte " + describeByte(c), pos);
        }
      }
      if (stack.isEmpty()) {
        return value;
      }
      deliver(stack.get(stack.size() - 1), value, start);
    }
  }

  private void deliver(Frame top, BValue value, int start) {
    if (top.list != null) {
      top.list.add(value);
    } else if (top.pendingKey == null) {
      BString key = (BString) value;
      if (top.lastKey != null) {
        int cmp = key.compareTo(top.lastKey);
        if (cmp == 0) {
          throw new BencodeException("duplicate dictionary key '" + key + "'", start);
        } else if (cmp < 0) {
          throw new BencodeException(
              "dictionary key '" + key + "' is not sorted after '" + top.lastKey + "'", start);
        }
      }
      top.pendingKey = key;
    } else {
      top.dict.put(top.pendingKey, value);
      top.spans.put(top.pendingKey, new ByteSpan(start, pos));
      top.lastKey = top.pendingKey;
      top.pendingKey = null;
    }
  }

  private void countItem() {
    if (++items > limits.maxItems()) {
      throw new BencodeException("more than " + limits.maxItems() + " values", pos);
    }
  }

  private byte peek() {
    if (pos >= limit) {
      throw endOfInput();
    }
    return in[pos];
  }

  private BencodeException endOfInput() {
    if (limit < in.length) {
      return new BencodeException("value longer than the limit of " + limits.maxTotalSize(), pos);
    }
    return new BencodeException("unexpected end of input", pos);
  }

  /** Reads {@code i<decimal>e}: no leading zeros, no -0, no empty number, within 64 bits. */
  private long readInteger() {
    int start = pos;
    pos++; // 'i'
    boolean negative = false;
    if (peek() == '-') {
      negative = true;
      pos++;
    }
    int digitsStart = pos;
    long value = 0; // accumulated negatively so that Long.MIN_VALUE fits
    while (true) {
      byte c = peek();
      if (c == 'e') {
        break;
      }
      if (c < '0' || c > '9') {
        throw new BencodeException("unexpected byte " + describeByte(c) + " in integer", pos);
      }
      int digit = c - '0';
      if (value < (Long.MIN_VALUE + digit) / 10) {
        throw new BencodeException("integer does not fit in 64 bits", start);
      }
      value = value * 10 - digit;
      pos++;
    }
    int digits = pos - digitsStart;
    if (digits == 0) {
      throw new BencodeException("integer has no digits", start);
    }
    if (in[digitsStart] == '0' && (digits > 1 || negative)) {
      throw new BencodeException(negative ? "integer -0 is not canonical" : "integer has a leading zero", start);
    }
    pos++; // 'e'
    if (!negative) {
      if (value == Long.MIN_VALUE) {
        throw new BencodeException("integer does not fit in 64 bits", start);
      }
      return -value;
    }
    return value;
  }

  /** Reads {@code <length>:<bytes>}, checking the length before allocating. */
  private BString readString() {
    int start = pos;
    long length = 0;
    while (true) {
      byte c = peek();
      if (c == ':') {
        break;
      }
      if (c < '0' || c > '9') {
        throw new BencodeException("unexpected byte " + describeByte(c) + " in string length", pos);
      }
      length = length * 10 + (c - '0');
      if (length > limits.maxStringLength()) {
        throw new BencodeException("string longer than the limit of " + limits.maxStringLength(), start);
      }
      pos++;
    }
    if (in[start] == '0' && pos - start > 1) {
      throw new BencodeException("string length has a leading zero", start);
    }
    pos++; // ':'
    if (length > limit - pos) {
      if (limit < in.length) {
        throw new BencodeException("value longer than the limit of " + limits.maxTotalSize(), start);
      }
      throw new BencodeException(
          "string of " + length + " bytes but only " + (limit - pos) + " remain", start);
    }
    byte[] bytes = java.util.Arrays.copyOfRange(in, pos, pos + (int) length);
    pos += (int) length;
    return BString.wrap(bytes);
  }

  private static String describeByte(byte b) {
    int v = b & 0xff;
    if (v >= 0x21 && v < 0x7f) {
      return "'" + (char) v + "'";
    }
    return "0x" + Integer.toHexString(v);
  }
}
