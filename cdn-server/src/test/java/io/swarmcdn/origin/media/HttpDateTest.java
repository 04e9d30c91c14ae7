package io.swarmcdn.origin.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpDateTest {
  /** RFC 9110 section 5.6.7's example instant, Sun, 06 Nov 1994 08:49:37 GMT. */
  static final long EXAMPLE = 784111777L;

  @Test
  void formatsImfFixdateWithTwoDigitDays() {
    assertThat(HttpDate.format(EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @Test
  void parsesTheThreeFormsRecipientsMustAccept() {
    assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(EXAMPLE);
    assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(EXAMPLE);
    assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(EXAMPLE);
  }

  @Test
  void anythingElseIsNoDate() {
    assertThat(HttpDate.parse(null)).isEqualTo(-1);
    assertThat(HttpDate.parse("")).isEqualTo(-1);
    assertThat(HttpDate.parse("1994-11-06T08:49:37Z")).isEqualTo(-1);
    assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT" + "x".repeat(100))).isEqualTo(-1);
  }
}
