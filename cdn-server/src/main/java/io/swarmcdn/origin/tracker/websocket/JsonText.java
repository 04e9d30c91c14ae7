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

  /** Appends {@code value} as a quoted JSON string. */
  static StringBuilder appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
