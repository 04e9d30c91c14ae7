package io.swarmcdn.torrent.jvm.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.Progress;
import io.swarmcdn.torrent.jvm.hash.TorrentFiles;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import io.swarmcdn.torrent.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FilePieceStorageTest {

    private static final int PIECE = 32 * 1024;
    private static ParallelPieceHasher hasher;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startHasher() {
        hasher = new ParallelPieceHasher(2);
    }

    @AfterAll
    static void stopHasher() {
        hasher.close();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * A directory of files whose boundaries fall inside pieces and inside 16 KiB blocks, with an
     * empty file in the middle; returns the concatenated content in torrent order.
     */
    private byte[] makeSource(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        byte[] a = random(20_000, 1);
        byte[] b = random(70_001, 2);
        byte[] c = random(1, 3);
        Files.write(dir.resolve("a.bin"), a);
        Files.write(dir.resolve("empty"), new byte[0]);
        Files.write(dir.resolve("sub").resolve("b.bin"), b);
        Files.write(dir.resolve("z"), c);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(a);
        all.write(b);
        all.write(c);
        return all.toByteArray();
    }

    private static Info torrentOf(Path source) throws IOException {
        return TorrentFiles.create(source, t -> t.pieceLength(PIECE), hasher, Progress.NONE).info();
    }

    @Test
    void multiFileDownloadWrittenInRandomBlockOrderReproducesTheFiles() throws Exception {
        Path src = tmp.resolve("src").resolve("album");
        byte[] content = makeSource(src);
        Info info = torrentOf(src);
        assertThat(info.files()).hasSize(4);
        PieceLayout layout = info.layout();

        Path target = tmp.resolve("download");
        FilePieceStorage storage = FilePieceStorage.forDownload(target, info);
        try {
            List<int[]> blocks = new ArrayList<>();
            for (int p = 0; p < layout.pieceCount(); p++) {
                for (int b = 0; b < layout.blockCount(p); b++) {
                    blocks.add(new int[] {p, b});
                }
            }
            Collections.shuffle(blocks, new Random(5));
            for (int[] blk : blocks) {
                int off = blk[1] * PieceLayout.BLOCK_SIZE;
                int len = layout.blockSize(blk[0], blk[1]);
                storage.writeBlock(blk[0], off, content, (int) layout.pieceOffset(blk[0]) + off, len);
            }
            byte[] buf = new byte[PIECE];
            for (int p = 0; p < layout.pieceCount(); p++) {
                int size = layout.pieceSize(p);
                storage.readPiece(p, buf, size);
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                sha1.update(buf, 0, size);
                assertThat(info.pieceHashEquals(p, sha1.digest())).as("piece %d", p).isTrue();
                storage.markVerified(p);
            }
            byte[] block = new byte[3];
            storage.readBlock(0, 19_999, block, 0, 3); // crosses a.bin -> (empty) -> sub/b.bin
            assertThat(block).containsExactly(content[19_999], content[20_000], content[20_001]);
        } finally {
            storage.close();
        }
        Path out = target.resolve("album");
        assertThat(Files.readAllBytes(out.resolve("a.bin"))).isEqualTo(Files.readAllBytes(src.resolve("a.bin")));
        assertThat(out.resolve("empty")).isEmptyFile();
        assertThat(Files.readAllBytes(out.resolve("sub/b.bin"))).isEqualTo(Files.readAllBytes(src.resolve("sub/b.bin")));
        assertThat(Files.readAllBytes(out.resolve("z"))).isEqualTo(Files.readAllBytes(src.resolve("z")));
    }

    @Test
    void seedingChecksExistingDataAndServesOnlyVerifiedPieces() throws Exception {
        Path src = tmp.resolve("album");
        byte[] content = makeSource(src);
        Info info = torrentOf(src);
        // Damage one byte of sub/b.bin at torrent offset 40 000: piece 1 fails, the others match.
        byte[] b = Files.readAllBytes(src.resolve("sub/b.bin"));
        b[20_000] ^= 1;
        Files.write(src.resolve("sub/b.bin"), b);
        FilePieceStorage storage = FilePieceStorage.forSeeding(TorrentFiles.locate(info, src), info);
        try {
            assertThat(storage.checkExisting(hasher, Progress.NONE)).isEqualTo(info.pieceCount() - 1);
            assertThat(storage.hasPiece(1)).isFalse();
            assertThat(storage.hasPiece(0)).isTrue();
            byte[] dst = new byte[10];
            storage.readBlock(2, 0, dst, 0, 10);
            assertThat(dst).isEqualTo(Arrays.copyOfRange(content, 2 * PIECE, 2 * PIECE + 10));
            assertThatThrownBy(() -> storage.readBlock(1, 0, dst, 0, 10))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            storage.close();
        }
    }

    @Test
    void resumeKeepsWhatIsOnDiskAndTruncatesOverlongFiles() throws Exception {
        Path src = tmp.resolve("src").resolve("one.bin");
        Files.createDirectories(src.getParent());
        byte[] content = random(100_000, 9);
        Files.write(src, content);
        Info info = torrentOf(src);
        Path target = tmp.resolve("dl");
        Files.createDirectories(target);
        // A previous run wrote the first 70 000 bytes, then garbage past the end.
        byte[] previous = new byte[120_000];
        System.arraycopy(content, 0, previous, 0, 70_000);
        Files.write(target.resolve("one.bin"), previous);
        FilePieceStorage storage = FilePieceStorage.forDownload(target, info);
        try {
            assertThat(Files.size(target.resolve("one.bin"))).isEqualTo(100_000);
            assertThat(storage.checkExisting(hasher, Progress.NONE)).isEqualTo(2); // pieces 0, 1
            assertThat(storage.hasPiece(2)).isFalse();
        } finally {
            storage.close();
        }
    }

    @Test
    void refusesToWriteThroughASymbolicLinkInTheTarget() throws Exception {
        Path src = tmp.resolve("album");
        makeSource(src);
        Info info = torrentOf(src);
        Path target = tmp.resolve("target");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createDirectories(target);
        Files.createSymbolicLink(target.resolve("album"), elsewhere);
        assertThatThrownBy(() -> FilePieceStorage.forDownload(target, info))
                .isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void aMissingFileWhileSeedingIsAStorageException() throws Exception {
        Path src = tmp.resolve("one.bin");
        Files.write(src, random(1000, 4));
        Info info = torrentOf(src);
        FilePieceStorage storage = FilePieceStorage.forSeeding(List.of(src), info);
        storage.checkExisting(hasher, Progress.NONE);
        Files.delete(src);
        assertThatThrownBy(() -> storage.readBlock(0, 0, new byte[10], 0, 10))
                .isInstanceOf(StorageException.class).hasMessageContaining("one.bin");
        storage.close();
    }
}
