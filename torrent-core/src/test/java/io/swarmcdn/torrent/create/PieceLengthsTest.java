package io.swarmcdn.torrent.create;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PieceLengthsTest {
  private static final int KIB = 1024;
  private static final long MIB = 1024 * 1024;

  @Test
  void documentedExamples() {
    assertThat(PieceLengths.automatic(1)).isEqualTo(16 * KIB);
    assertThat(PieceLengths.automatic(16 * MIB)).isEqualTo(16 * KIB);
    assertThat(PieceLengths.automatic(16 * MIB + 1)).isEqualTo(32 * KIB);
    assertThat(PieceLengths.automatic(100_000_000)).isEqualTo(128 * KIB);
    assertThat(PieceLengths.automatic(1024 * MIB)).isEqualTo(1024 * KIB);
    assertThat(PieceLengths.automatic(4096 * MIB)).isEqualTo(4096 * KIB);
    assertThat(PieceLengths.automatic(16 * 1024 * MIB)).isEqualTo(16 * KIB * KIB);
    assertThat(PieceLengths.automatic(1L << 40)).isEqualTo(16 * KIB * KIB);
  }

  @Test
  void alwaysAPowerOfTwoInRangeAndAtMostTargetPiecesBelowTheCap() {
    for (long total = 1; total < (1L << 42); total = total * 3 + 7) {
      int pl = PieceLengths.automatic(total);
      assertThat(Integer.bitCount(pl)).isEqualTo(1);
      assertThat(pl).isBetween(PieceLengths.MIN, PieceLengths.MAX);
      long pieces = (total + pl - 1) / pl;
      if (pl < PieceLengths.MAX) {
        assertThat(pieces).isLessThanOrEqualTo(PieceLengths.TARGET_PIECES);
      }
      if (pl > PieceLengths.MIN) {
        long halfPieces = (total + pl / 2 - 1) / (pl / 2);
        assertThat(halfPieces).as("smallest such length").isGreaterThan(PieceLengths.TARGET_PIECES);
      }
    }
  }
}
