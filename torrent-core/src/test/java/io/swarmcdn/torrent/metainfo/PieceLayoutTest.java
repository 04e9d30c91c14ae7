package io.swarmcdn.torrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PieceLayoutTest {
  private static final long TIB = 1L << 40;

  @Test
  void oneTebibyteFileInSmallPiecesDoesNotOverflow() {
    PieceLayout l = PieceLayout.of(16 * 1024, TIB + 1);
    assertThat(l.pieceCount()).isEqualTo((1 << 26) + 1);
    int last = l.pieceCount() - 1;
    assertThat(l.pieceOffset(last)).isEqualTo(TIB);
    assertThat(l.pieceSize(last)).isEqualTo(1);
    assertThat(l.pieceSize(last - 1)).isEqualTo(16 * 1024);
    assertThat(l.spans(last)).containsExactly(new FileSpan(0, TIB, 1));
    assertThat(l.pieceIndexAt(TIB)).isEqualTo(last);
    assertThat(l.blockCount(last)).isEqualTo(1);
    assertThat(l.blockSize(last, 0)).isEqualTo(1);
  }

  @Test
  void largePiecesAcrossSeveralHugeFiles() {
    int pl = 16 << 20;
    PieceLayout l = PieceLayout.of(pl, TIB - 3, 7, TIB);
    assertThat(l.totalLength()).isEqualTo(2 * TIB + 4);
    int straddling = (int) ((TIB - 3) / pl);
    assertThat(l.spans(straddling))
        .containsExactly(
            new FileSpan(0, (long) straddling * pl, pl - 3),
            new FileSpan(1, 0, 3));
    assertThat(l.spans(straddling + 1).get(0)).isEqualTo(new FileSpan(1, 3, 4));
    assertThat(l.spans(straddling + 1).get(1)).isEqualTo(new FileSpan(2, 0, pl - 4));
    assertThat(l.pieceSize(l.pieceCount() - 1)).isEqualTo(4);
    assertThat(l.fileOffset(2)).isEqualTo(TIB + 4);
  }

  @Test
  void zeroLengthFilesNeverAppearInSpans() {
    PieceLayout l = PieceLayout.of(16, 0, 10, 0, 0, 10, 0);
    assertThat(l.pieceCount()).isEqualTo(2);
    assertThat(l.spans(0)).containsExactly(new FileSpan(1, 0, 10), new FileSpan(4, 0, 6));
    assertThat(l.spans(1)).containsExactly(new FileSpan(4, 6, 4));
    assertThat(l.spans(10, 1)).containsExactly(new FileSpan(4, 0, 1));
    assertThat(l.spans(9, 0)).isEmpty();
  }

  @Test
  void blocksOfAPiece() {
    PieceLayout l = PieceLayout.of(64 * 1024, 64 * 1024 + 16 * 1024 + 100);
    assertThat(l.blockCount(0)).isEqualTo(4);
    assertThat(l.blockSize(0, 3)).isEqualTo(16 * 1024);
    assertThat(l.pieceSize(1)).isEqualTo(16 * 1024 + 100);
    assertThat(l.blockCount(1)).isEqualTo(2);
    assertThat(l.blockSize(1, 1)).isEqualTo(100);
    assertThatThrownBy(() -> l.blockSize(1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void outOfRangeArgumentsAreRejected() {
    PieceLayout l = PieceLayout.of(16, 20);
    assertThatThrownBy(() -> l.pieceSize(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> l.pieceSize(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> l.spans(15, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> l.spans(Long.MAX_VALUE, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> l.pieceIndexAt(20)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> PieceLayout.of(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
