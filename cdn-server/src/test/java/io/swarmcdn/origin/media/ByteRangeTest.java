package io.swarmcdn.origin.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

  @Test
  void resolvesTheThreeFormsAgainstTheFileSize() {
    assertThat(ByteRange.parse("bytes=0-99").resolve(1000)).isEqualTo(new ByteRange.Region(0, 99));
    assertThat(ByteRange.parse("bytes=900-").resolve(1000))
        .isEqualTo(new ByteRange.Region(900, 999));
    assertThat(ByteRange.parse("bytes=-100").resolve(1000))
        .isEqualTo(new ByteRange.Region(900, 999));
    assertThat(ByteRange.parse("bytes=-5000").resolve(1000))
        .isEqualTo(new ByteRange.Region(0, 999));
    assertThat(ByteRange.parse("bytes=990-5000").resolve(1000))
        .isEqualTo(new ByteRange.Region(990, 999));
  }

  @Test
  void unsatisfiableRangesResolveToNothing() {
    assertThat(ByteRange.parse("bytes=1000-").resolve(1000)).isNull();
    assertThat(ByteRange.parse("bytes=-0").resolve(1000)).isNull();
    assertThat(ByteRange.parse("bytes=0-0").resolve(0)).isNull();
  }

  @Test
  void headersToIgnore() {
    for (String h : new String[] {null, "", "bytes=", "bytes=a-b", "bytes=5-1", "bytes=0-1,3-4",
        "items=0-1", "bytes=99999999999999999999-", "bytes=+1-2"}) {
      assertThat(ByteRange.parse(h)).as(String.valueOf(h)).isNull();
    }
  }
}
