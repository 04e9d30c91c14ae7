package io.swarmcdn.origin.connection;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Date;
import java.util.function.LongSupplier;

/**
 * The value of the {@code Date} response header: the current time as an IMF-fixdate (RFC 9110
 * section 5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}.
 *
 * <p>The value has one-second resolution, so it is formatted once per second, not per response:
 * on the hot path (a media range request per web-seed piece) a response in the same second costs
 * one clock read and one volatile read. It is kept as a Netty {@link AsciiString}, which the HTTP
 * encoder copies without charset encoding. A race between two threads at a second's boundary
 * only formats a value once more.
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

  /** The current second as an IMF-fixdate. */
  AsciiString now() {
    long second = Math.floorDiv(clockMillis.getAsLong(), 1000L);
    Formatted formatted = current;
    if (formatted.epochSecond() != second) {
      formatted = new Formatted(second, AsciiString.of(DateFormatter.format(new Date(second * 1000))));
      current = formatted;
    }
    return formatted.value();
  }
}
