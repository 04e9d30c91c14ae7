package io.swarmcdn.origin.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void decodesPercentEscapesToRawBytes() {
    QueryString query = QueryString.parse("info_hash=%00%ff%80A%2b+&x=1&info_hash=b", 10);
    assertThat(query.bytes("info_hash")).containsExactly(0x00, 0xff, 0x80, 'A', '+', ' ');
    assertThat(query.all("info_hash")).hasSize(2);
    assertThat(query.text("x")).isEqualTo("1");
    assertThat(query.bytes("missing")).isNull();
  }

  @Test
  void refusesMalformedEscapesAndTooManyParameters() {
    assertThatThrownBy(() -> QueryString.parse("a=%zz", 10))
        .isInstanceOf(TrackerFailure.class)
        .hasMessageContaining("percent-encoding");
    assertThatThrownBy(() -> QueryString.parse("a=%4", 10))
        .isInstanceOf(TrackerFailure.class)
        .hasMessageContaining("percent-encoding");
    assertThatThrownBy(() -> QueryString.parse("a=1&b=2&c=3", 2))
        .isInstanceOf(TrackerFailure.class)
        .hasMessageContaining("too many");
  }
}
