package io.swarmcdn.origin.tracker.websocket;

/**
 * Appends JSON string literals for the tracker's hot replies without a serializer.
 *
 * <p>WebTorrent sends info_hash and peer_id as "binary strings": each byte becomes one char in
 * U+0000..U+00FF (PROTOCOL-NOTES.md). Building the few fixed-shape replies by hand avoids a
 * Jackson serialization context and generator per message. The escaping is the same Jackson
 * applies by default (RFC 8259 section 7): the short forms {@code \b \t \n \f \r}, a
 * backslash-u00XX escape (upper-case hex) for the other control chars, {@code \"} and {@code \\};
 * everything else, including U+0080..U+00FF, is written raw (valid JSON inside a UTF-8 text
 * frame).
 */
final class JsonText {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonText() {}

  /** Bytes {@link #writeBinaryString} may write for a value of {@code length} chars. */
  static int maxBinaryStringBytes(int length) {
    return 2 + 6 * length;
  }

  /** The number of bytes {@link #writeBinaryString} writes for {@code value}. */
  static int binaryStringBytes(String value) {
    int bytes = 2;
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      bytes += c >= 0x80 ? 2 : c >= 0x20 && c != '"' && c != '\\' ? 1 : shortEscape(c) != 0 ? 2 : 6;
    }
    return bytes;
  }

  /**
   * Writes a binary string (chars U+0000..U+00FF only, as validated ids are) as a quoted JSON
   * string in UTF-8, escaped as {@link #appendString} does: U+0080..U+00FF take two bytes.
   *
   * @return the index past the last byte written
   */
  static int writeBinaryString(byte[] out, int at, String value) {
    out[at++] = '"';
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        out[at++] = (byte) (0xc0 | c >> 6);
        out[at++] = (byte) (0x80 | c & 0x3f);
      } else if (c >= 0x20 && c != '"' && c != '\\') {
        out[at++] = (byte) c;
      } else {
        char shortForm = shortEscape(c);
        out[at++] = '\\';
        if (shortForm != 0) {
          out[at++] = (byte) shortForm;
        } else {
          out[at++] = 'u';
          out[at++] = '0';
          out[at++] = '0';
          out[at++] = (byte) HEX[c >> 4];
          out[at++] = (byte) HEX[c & 0xf];
        }
      }
    }
    out[at++] = '"';
    return at;
  }

  /** {@code value} (a binary string) as {@link #writeBinaryString} writes it, in an exact array. */
  static byte[] binaryString(String value) {
    byte[] out = new byte[binaryStringBytes(value)];
    writeBinaryString(out, 0, value);
    return out;
  }

  /** The two-char escape of {@code c} without its backslash, or 0 if it has none. */
  private static char shortEscape(char c) {
    return switch (c) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '\b' -> 'b';
      case '\t' -> 't';
      case '\n' -> 'n';
      case '\f' -> 'f';
      case '\r' -> 'r';
      default -> 0;
    };
  }

  /** Appends {@code value} as a quoted JSON string. */
  static StringBuilder appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      char shortForm = c < 0x20 || c == '"' || c == '\\' ? shortEscape(c) : 0;
      if (shortForm != 0) {
        out.append('\\').append(shortForm);
      } else if (c < 0x20) {
        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }
}
