package io.swarmcdn.origin.media;

import io.netty.util.AsciiString;
import java.util.function.LongSupplier;

/**
 * The {@code Date} of media responses. RFC 9110 section 6.6.1: an origin server with a clock
 * MUST send {@code Date} on every 2xx, 3xx and 4xx response (and may on 1xx/5xx); caches use it
 * to compute a response's age. Media route answers bypass Spring (see {@link MediaRoutes}), and
 * reactor-netty adds no {@code Date} of its own, so the handler sets it.
 *
 * <p>The value has one-second resolution, so it is formatted once per second, not per response:
 * on the hot path (a range request per web-seed piece) a request in the same second costs one
 * clock read and one volatile read. It is kept as a Netty {@link AsciiString}, which the HTTP
 * encoder copies without charset encoding. A race between two threads at a second's boundary
 * only formats the same value twice.
 */
final class DateHeader {
  private final LongSupplier clockMillis;
  private volatile Formatted current = new Formatted(Long.MIN_VALUE, AsciiString.EMPTY_STRING);

  /** One formatted second. */
  private record Formatted(long epochSecond, AsciiString value) {}

  /** @param clockMillis the wall clock, in milliseconds since the epoch */
  DateHeader(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /** On the system clock. */
  DateHeader() {
    this(System::currentTimeMillis);
  }

  /** The current time as an IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  AsciiString now() {
    long second = Math.floorDiv(clockMillis.getAsLong(), 1000L);
    Formatted formatted = current;
    if (formatted.epochSecond() != second) {
      formatted = new Formatted(second, AsciiString.of(HttpDate.format(second)));
      current = formatted;
    }
    return formatted.value();
  }
}
