package io.swarmcdn.torrent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.metainfo.PieceLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InMemoryPieceStorageTest {

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void blocksWrittenInAnyOrderReadBackAsOnePieceAndAsContent() {
        byte[] content = random(100_000); // 3 pieces of 40 000, the last 20 000
        InMemoryPieceStorage s = new InMemoryPieceStorage(PieceLayout.of(40_000, content.length));
        for (int piece = 2; piece >= 0; piece--) {
            int size = piece == 2 ? 20_000 : 40_000;
            for (int off = size - 10_000; off >= 0; off -= 10_000) {
                s.writeBlock(piece, off, content, piece * 40_000 + off, 10_000);
            }
            assertThat(s.hasPiece(piece)).isFalse();
            byte[] dst = new byte[40_000];
            s.readPiece(piece, dst, size);
            for (int i = 0; i < size; i++) {
                assertThat(dst[i]).isEqualTo(content[piece * 40_000 + i]);
            }
            s.markVerified(piece);
            assertThat(s.hasPiece(piece)).isTrue();
        }
        assertThat(s.content()).isEqualTo(content);
        byte[] block = new byte[5];
        s.readBlock(1, 7, block, 0, 5);
        assertThat(block).containsExactly(content[40_007], content[40_008], content[40_009],
                content[40_010], content[40_011]);
    }

    @Test
    void discardForgetsUnverifiedDataButNeverVerifiedData() {
        byte[] content = random(32);
        InMemoryPieceStorage s = new InMemoryPieceStorage(PieceLayout.of(16, 32));
        s.writeBlock(0, 0, content, 0, 16);
        s.discardPiece(0);
        assertThatThrownBy(() -> s.readPiece(0, new byte[16], 16))
                .isInstanceOf(StorageException.class);
        s.writeBlock(1, 0, content, 16, 16);
        s.markVerified(1);
        s.discardPiece(1);
        s.writeBlock(1, 0, new byte[16], 0, 16); // late duplicate: must not corrupt
        byte[] dst = new byte[16];
        s.readBlock(1, 0, dst, 0, 16);
        assertThat(dst).isEqualTo(Arrays.copyOfRange(content, 16, 32));
    }

    @Test
    void seededStorageServesEveryPiece() {
        byte[] content = random(50);
        InMemoryPieceStorage s = InMemoryPieceStorage.seeded(content, 16);
        for (int p = 0; p < 4; p++) {
            assertThat(s.hasPiece(p)).isTrue();
        }
        byte[] dst = new byte[2];
        s.readBlock(3, 0, dst, 0, 2);
        assertThat(dst).containsExactly(content[48], content[49]);
    }

    @Test
    void rejectsOutOfRangeCoordinatesAndUnverifiedReads() {
        InMemoryPieceStorage s = new InMemoryPieceStorage(PieceLayout.of(16, 50));
        byte[] buf = new byte[32];
        assertThatThrownBy(() -> s.writeBlock(3, 0, buf, 0, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.writeBlock(4, 0, buf, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.writeBlock(0, -1, buf, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.readBlock(0, 0, buf, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
