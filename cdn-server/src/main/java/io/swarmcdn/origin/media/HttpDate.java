package io.swarmcdn.origin.media;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * HTTP-date (RFC 9110 section 5.6.7): sent as IMF-fixdate, and accepted in all three forms a
 * recipient must understand (IMF-fixdate, obsolete RFC 850 and asctime). Whole seconds only,
 * like the validators it describes.
 */
final class HttpDate {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** Two-digit years: 70..99 are 19xx, 00..69 are 20xx (section 5.6.7 asks for "not 50 years ahead"). */
  private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
      .appendPattern("EEEE, dd-MMM-")
      .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.of(1970, 1, 1))
      .appendPattern(" HH:mm:ss 'GMT'")
      .toFormatter(Locale.US).withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter[] PARSERS = {IMF_FIXDATE, RFC_850, ASCTIME};

  private HttpDate() {}

  static String format(long epochSecond) {
    return IMF_FIXDATE.format(java.time.Instant.ofEpochSecond(epochSecond));
  }

  /** The date's epoch second, or -1 when {@code value} is not an HTTP-date (then it is ignored). */
  static long parse(String value) {
    if (value == null || value.length() > 64) {
      return -1;
    }
    String s = value.strip();
    for (DateTimeFormatter parser : PARSERS) {
      try {
        return ZonedDateTime.parse(s, parser).toEpochSecond();
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return -1;
  }
}
