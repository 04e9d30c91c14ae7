package io.swarmcdn.origin.tracker.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw query string of a tracker request, percent-decoded to BYTES. {@code info_hash} and
 * {@code peer_id} are arbitrary binary values (BEP 3: "urlencoded 20-byte string"); decoding them
 * as UTF-8, as web frameworks do for request parameters, would corrupt every byte above 0x7F.
 */
final class QueryString {

  private record Parameter(String name, byte[] value) {}

  private final List<Parameter> parameters;

  private QueryString(List<Parameter> parameters) {
    this.parameters = parameters;
  }

  /**
   * @param rawQuery the query as received (still percent-encoded), or null
   * @param maxParameters more parameters than this are refused
   * @throws TrackerFailure on a malformed escape or too many parameters
   */
  static QueryString parse(String rawQuery, int maxParameters) {
    List<Parameter> parameters = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new QueryString(parameters);
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      if (parameters.size() == maxParameters) {
        throw new TrackerFailure("too many query parameters");
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.add(
          new Parameter(new String(decode(name), StandardCharsets.ISO_8859_1), decode(value)));
    }
    return new QueryString(parameters);
  }

  /** The first value of the parameter, or null if absent. */
  byte[] bytes(String name) {
    for (Parameter parameter : parameters) {
      if (parameter.name.equals(name)) {
        return parameter.value;
      }
    }
    return null;
  }

  /** Every value of a repeated parameter (e.g. {@code info_hash} in a BEP 48 scrape). */
  List<byte[]> all(String name) {
    List<byte[]> values = new ArrayList<>();
    for (Parameter parameter : parameters) {
      if (parameter.name.equals(name)) {
        values.add(parameter.value);
      }
    }
    return values;
  }

  /** The first value as text (each byte one ISO-8859-1 char), or null if absent. */
  String text(String name) {
    byte[] value = bytes(name);
    return value == null ? null : new String(value, StandardCharsets.ISO_8859_1);
  }

  /** RFC 3986 percent-decoding; '+' is a space as in HTML form encoding. */
  private static byte[] decode(String encoded) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        if (i + 2 >= encoded.length()) {
          throw new TrackerFailure("malformed percent-encoding in query");
        }
        int high = Character.digit(encoded.charAt(i + 1), 16);
        int low = Character.digit(encoded.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          throw new TrackerFailure("malformed percent-encoding in query");
        }
        out.write((high << 4) | low);
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else if (c > 0x7f) {
        // A raw non-ASCII char is not valid in a URI; refuse rather than guess its bytes.
        throw new TrackerFailure("non-ASCII character in query");
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }
}
