package io.swarmcdn.origin.tracker.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A validating JSON (RFC 8259) scanner over the UTF-8 bytes of one text frame: it walks values
 * without building them, so that the tracker can look at the few fields it needs and relay the
 * rest ({@code offer}, {@code answer}) as the raw bytes the client sent.
 *
 * <p>Strict like Jackson's defaults, which the tracker used before: no comments, single quotes,
 * unquoted names, trailing commas, {@code NaN}, leading zeros or raw control characters in
 * strings. Every byte of a string is checked to be well-formed UTF-8 (RFC 3629: no overlong
 * forms, no encoded surrogates, nothing above U+10FFFF), so a relayed slice is valid JSON in a
 * valid UTF-8 text frame, as RFC 6455 section 8.1 requires. The caps keep a small but
 * pathological message cheap: nesting depth, name length and number length as the tracker's
 * Jackson constraints had them.
 */
final class JsonScanner {

  /** Containers nested deeper than this are refused (the root object is depth 1). */
  static final int MAX_DEPTH = 16;

  private static final int MAX_NAME_BYTES = 256;
  private static final int MAX_NUMBER_CHARS = 32;

  /** Kinds of values, told apart by their first byte. */
  static final int STRING = 1;

  static final int NUMBER = 2;
  static final int OBJECT = 3;
  static final int ARRAY = 4;
  static final int LITERAL = 5; // true, false
  static final int NULL = 6;

  /** The message is not well-formed JSON (or not well-formed UTF-8). */
  static final class MalformedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedException() {
      super("malformed JSON", null, false, false);
    }
  }

  private static final MalformedException MALFORMED = new MalformedException();

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] in;
  private final int end;
  private int pos;
  /** Quotes around the last member name read. */
  private int nameQuote;
  private int nameClose;
  /** Whether the last member name read has an escape (then it is decoded to be compared). */
  private boolean nameEscaped;
  /** Whether the last string skipped had an escape. */
  private boolean stringEscaped;

  JsonScanner(byte[] in, int start, int end) {
    this.in = in;
    this.pos = start;
    this.end = end;
  }

  /** The scanned message (values are referred to by index). */
  byte[] bytes() {
    return in;
  }

  /** Index of the next unread byte. */
  int position() {
    return pos;
  }

  /** Skips whitespace; the next byte, or -1 at the end of the input. */
  int peek() {
    while (pos < end) {
      byte b = in[pos];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b & 0xff;
      }
      pos++;
    }
    return -1;
  }

  /** Consumes {@code c} (after whitespace) if it comes next. */
  boolean consume(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  void expect(char c) {
    if (!consume(c)) {
      throw MALFORMED;
    }
  }

  /** Only whitespace may remain. */
  void expectEnd() {
    if (peek() != -1) {
      throw MALFORMED;
    }
  }

  /** The kind of the value that comes next (after whitespace), not consumed. */
  int kind() {
    switch (peek()) {
      case '"':
        return STRING;
      case '{':
        return OBJECT;
      case '[':
        return ARRAY;
      case 't':
      case 'f':
        return LITERAL;
      case 'n':
        return NULL;
      case '-':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        return NUMBER;
      default:
        throw MALFORMED;
    }
  }

  /** Reads a member name and its colon; compare it with {@link #nameIs}. */
  void name() {
    if (peek() != '"') {
      throw MALFORMED;
    }
    nameQuote = pos;
    skipString();
    nameClose = pos - 1;
    if (nameClose - nameQuote - 1 > MAX_NAME_BYTES) {
      throw MALFORMED;
    }
    nameEscaped = stringEscaped;
    expect(':');
  }

  /**
   * Whether the last name read equals the ASCII {@code expected}: bytes compared in place, and
   * only a name with escapes (which Jackson, used before, also matched) is decoded first.
   */
  boolean nameIs(byte[] expected) {
    int start = nameQuote + 1;
    int length = nameClose - start;
    if (length == expected.length) {
      int i = 0;
      while (i < length && in[start + i] == expected[i]) {
        i++;
      }
      if (i == length) {
        return true;
      }
    }
    // Noted while the name was skipped, not looked for once per name compared with it.
    return length > expected.length && nameEscaped && decodedEquals(expected);
  }

  /**
   * Whether the (already scanned) string whose opening quote is at {@code quote} decodes to the
   * ASCII {@code expected}: compared in place, decoded only if its bytes differ (it may be
   * written with escapes).
   */
  boolean stringIs(int quote, byte[] expected) {
    int n = expected.length;
    if (end - quote > n + 1 && in[quote + n + 1] == '"') {
      int i = 0;
      while (i < n && in[quote + 1 + i] == expected[i]) {
        i++;
      }
      if (i == n) {
        return true;
      }
    }
    return equalsAscii(string(quote, n + 1), expected);
  }

  private static boolean equalsAscii(String decoded, byte[] expected) {
    if (decoded.length() != expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (decoded.charAt(i) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean decodedEquals(byte[] expected) {
    return equalsAscii(string(nameQuote, expected.length + 1), expected);
  }

  /**
   * Skips one value, checking that it is well-formed.
   *
   * @param depth nesting depth of the container holding the value
   */
  void skipValue(int depth) {
    switch (kind()) {
      case STRING -> skipString();
      case NUMBER -> skipNumber();
      case OBJECT -> {
        pos++;
        checkDepth(depth + 1);
        if (!consume('}')) {
          do {
            name();
            skipValue(depth + 1);
          } while (consume(','));
          expect('}');
        }
      }
      case ARRAY -> {
        pos++;
        checkDepth(depth + 1);
        if (!consume(']')) {
          do {
            skipValue(depth + 1);
          } while (consume(','));
          expect(']');
        }
      }
      case LITERAL -> skipLiteral(in[pos] == 't' ? "true" : "false");
      default -> skipLiteral("null");
    }
  }

  static void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw MALFORMED;
    }
  }

  private void skipLiteral(String literal) {
    if (end - pos < literal.length()) {
      throw MALFORMED;
    }
    for (int i = 0; i < literal.length(); i++) {
      if (in[pos + i] != literal.charAt(i)) {
        throw MALFORMED;
      }
    }
    pos += literal.length();
  }

  /** From an opening quote to past the closing one; notes whether it had an escape. */
  void skipString() {
    stringEscaped = false;
    int i = pos + 1;
    while (true) {
      // Eight bytes at a time (SDPs are long runs of plain ASCII), straight to the first byte
      // that needs a look: an SDP has an escaped line break every 40 bytes or so, and stepping
      // through the rest of its word byte by byte cost more than the plain runs (profile).
      while (end - i >= 8) {
        long special = special((long) LONGS.get(in, i));
        if (special != 0) {
          i += Long.numberOfTrailingZeros(special) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= end) {
        throw MALFORMED;
      }
      int b = in[i] & 0xff;
      if (b == '"') {
        pos = i + 1;
        return;
      }
      if (b == '\\') {
        stringEscaped = true;
        // An SDP's line breaks (\r\n) are most escapes: those take no call.
        int e = i + 1 < end ? in[i + 1] : 0;
        i = e == 'r' || e == 'n' ? i + 2 : skipEscape(i + 1);
      } else if (b < 0x20) {
        throw MALFORMED; // RFC 8259 section 7: control characters must be escaped
      } else if (b < 0x80) {
        i++;
      } else {
        i = skipUtf8(i, b);
      }
    }
  }

  private int skipEscape(int i) {
    if (i >= end) {
      throw MALFORMED;
    }
    switch (in[i]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        return i + 1;
      }
      case 'u' -> {
        if (end - i < 5) {
          throw MALFORMED;
        }
        for (int k = 1; k <= 4; k++) {
          hex(in[i + k]);
        }
        return i + 5;
      }
      default -> throw MALFORMED;
    }
  }

  /** Past one well-formed multi-byte UTF-8 sequence starting with {@code b} at {@code i}. */
  private int skipUtf8(int i, int b) {
    int length;
    int min2 = 0x80; // the allowed range of the second byte (RFC 3629 section 4)
    int max2 = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b == 0xe0) {
        min2 = 0xa0; // overlong
      } else if (b == 0xed) {
        max2 = 0x9f; // UTF-16 surrogates
      }
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b == 0xf0) {
        min2 = 0x90; // overlong
      } else if (b == 0xf4) {
        max2 = 0x8f; // above U+10FFFF
      }
    } else {
      throw MALFORMED;
    }
    if (end - i < length) {
      throw MALFORMED;
    }
    int second = in[i + 1] & 0xff;
    if (second < min2 || second > max2) {
      throw MALFORMED;
    }
    for (int k = 2; k < length; k++) {
      if ((in[i + k] & 0xc0) != 0x80) {
        throw MALFORMED;
      }
    }
    return i + length;
  }

  /**
   * The high bit of each byte of {@code word} (read little-endian) that may be a quote, a
   * backslash, a control char or non-ASCII; 0 if none is (the zero-byte and less-than bit tricks
   * of "Bit Twiddling Hacks"). A borrow may also flag a byte after a special one, never one
   * before it: the lowest flag is exact, and so is a zero.
   */
  private static long special(long word) {
    long quotes = word ^ 0x2222222222222222L;
    long backslashes = word ^ 0x5c5c5c5c5c5c5c5cL;
    long special =
        (word - 0x2020202020202020L) // a byte below 0x20 borrows into its high bit
            | (quotes - 0x0101010101010101L) & ~quotes
            | (backslashes - 0x0101010101010101L) & ~backslashes
            | word; // a byte from 0x80
    return special & 0x8080808080808080L;
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    throw MALFORMED;
  }

  /** RFC 8259 section 6: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
  void skipNumber() {
    int start = pos;
    int i = pos;
    if (i < end && in[i] == '-') {
      i++;
    }
    if (i < end && in[i] == '0') {
      i++;
    } else {
      i = digits(i);
    }
    if (i < end && in[i] == '.') {
      i = digits(i + 1);
    }
    if (i < end && (in[i] == 'e' || in[i] == 'E')) {
      i++;
      if (i < end && (in[i] == '+' || in[i] == '-')) {
        i++;
      }
      i = digits(i);
    }
    if (i - start > MAX_NUMBER_CHARS) {
      throw MALFORMED;
    }
    pos = i;
  }

  /** One or more digits from {@code i}; the index past them. */
  private int digits(int i) {
    int start = i;
    while (i < end && in[i] >= '0' && in[i] <= '9') {
      i++;
    }
    if (i == start) {
      throw MALFORMED;
    }
    return i;
  }

  /**
   * Decodes the (already scanned) string whose opening quote is at {@code quote}, stopping after
   * {@code maxChars} chars: callers that only accept short values need not decode a long one.
   */
  String string(int quote, int maxChars) {
    // A JSON string never decodes to more chars than it has bytes.
    char[] out = new char[Math.min(maxChars, end - quote) + 1];
    int n = 0;
    int i = quote + 1;
    while (n < maxChars) {
      int b = in[i] & 0xff;
      if (b == '"') {
        break;
      }
      if (b == '\\') {
        byte e = in[i + 1];
        switch (e) {
          case 'b' -> out[n++] = '\b';
          case 'f' -> out[n++] = '\f';
          case 'n' -> out[n++] = '\n';
          case 'r' -> out[n++] = '\r';
          case 't' -> out[n++] = '\t';
          case 'u' -> {
            out[n++] =
                (char)
                    (hex(in[i + 2]) << 12
                        | hex(in[i + 3]) << 8
                        | hex(in[i + 4]) << 4
                        | hex(in[i + 5]));
            i += 4;
          }
          default -> out[n++] = (char) e; // " \ /
        }
        i += 2;
      } else if (b < 0x80) {
        out[n++] = (char) b;
        i++;
      } else if (b < 0xe0) {
        out[n++] = (char) ((b & 0x1f) << 6 | (in[i + 1] & 0x3f));
        i += 2;
      } else if (b < 0xf0) {
        out[n++] = (char) ((b & 0x0f) << 12 | (in[i + 1] & 0x3f) << 6 | (in[i + 2] & 0x3f));
        i += 3;
      } else {
        int codePoint =
            (b & 0x07) << 18
                | (in[i + 1] & 0x3f) << 12
                | (in[i + 2] & 0x3f) << 6
                | (in[i + 3] & 0x3f);
        // Four bytes give two chars (a surrogate pair): room is left by the +1 above.
        n += Character.toChars(codePoint, out, n);
        i += 4;
      }
    }
    return new String(out, 0, n);
  }

  /** Whether {@code in[start, end)} is well-formed UTF-8 (RFC 3629). */
  static boolean isUtf8(byte[] in, int start, int end) {
    JsonScanner scanner = new JsonScanner(in, start, end);
    int i = start;
    try {
      while (i < end) {
        int b = in[i] & 0xff;
        i = b < 0x80 ? i + 1 : scanner.skipUtf8(i, b);
      }
      return true;
    } catch (MalformedException e) {
      return false;
    }
  }
}
