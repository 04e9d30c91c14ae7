package io.swarmcdn.torrent.jvm.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.torrent.create.TorrentBuilder;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ParallelPieceHasherTest {
  private static final int PL = 16 * 1024;
  private static final ParallelPieceHasher HASHER = new ParallelPieceHasher(3);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    HASHER.close();
  }

  private Path write(String name, int size, Random random) throws IOException {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return Files.write(dir.resolve(name), b);
  }

  @Test
  void piecesCrossFileBoundariesAndSkipEmptyFiles() throws Exception {
    Random r = new Random(3);
    List<Path> files = new ArrayList<>();
    int[] sizes = {1, 0, PL - 1, 5 * PL + 17, 0, 3, 2 * PL, 777};
    for (int i = 0; i < sizes.length; i++) {
      files.add(write("f" + i, sizes[i], r));
    }
    AtomicLong last = new AtomicLong();
    byte[] pieces = HASHER.hash(files, PL, (done, total) -> last.set(done));
    assertThat(pieces).isEqualTo(Reference.pieces(Reference.concat(files), PL));
    assertThat(last.get()).isEqualTo(Reference.concat(files).length);
  }

  @Test
  void manyChunksOnAllWorkers() throws Exception {
    // Larger than several 4 MiB chunks so that every worker gets chunks, with a partial last one.
    Path big = write("big", 13 * 1024 * 1024 + 12345, new Random(5));
    byte[] pieces = HASHER.hash(List.of(big), PL, Progress.NONE);
    assertThat(pieces).isEqualTo(Reference.pieces(Files.readAllBytes(big), PL));
    byte[] large = HASHER.hash(List.of(big), 8 << 20, Progress.NONE);
    assertThat(large).isEqualTo(Reference.pieces(Files.readAllBytes(big), 8 << 20));
  }

  @Test
  void fileShrinkingDuringHashingIsAnError() throws Exception {
    Path f = write("f", 3 * PL, new Random(1));
    PieceLayout claimed = PieceLayout.of(PL, 4L * PL);
    assertThatThrownBy(() -> HASHER.hash(claimed, List.of(f), Progress.NONE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("shorter than expected");
  }

  @Test
  void verifyFindsCorruptAndMissingPieces() throws Exception {
    Random r = new Random(9);
    Path a = write("a", 3 * PL + 10, r);
    Path b = write("b", 2 * PL, r);
    List<Path> files = List.of(a, b);
    TorrentBuilder builder = TorrentBuilder.multiFile("d", List.of(
        new TorrentBuilder.FileEntry(List.of("a"), Files.size(a)),
        new TorrentBuilder.FileEntry(List.of("b"), Files.size(b)))).pieceLength(PL);
    Info info = builder.build(HASHER.hash(files, PL, Progress.NONE)).info();
    assertThat(HASHER.verify(info, files, Progress.NONE).cardinality()).isEqualTo(info.pieceCount());

    byte[] content = Files.readAllBytes(a);
    content[PL + 5] ^= 1; // piece 1
    Files.write(a, content);
    BitSet good = HASHER.verify(info, files, Progress.NONE);
    assertThat(good.get(1)).isFalse();
    assertThat(good.cardinality()).isEqualTo(info.pieceCount() - 1);

    Files.delete(b); // pieces 3 (shared with a), 4, 5
    good = HASHER.verify(info, files, Progress.NONE);
    BitSet expected = new BitSet();
    expected.set(0);
    expected.set(2);
    assertThat(good).isEqualTo(expected);
  }

  @Test
  void streamingEqualsFileHashingWhateverTheUpdateSizes() throws Exception {
    Random r = new Random(11);
    byte[] content = new byte[9 * 1024 * 1024 + 333];
    r.nextBytes(content);
    for (int pieceLength : new int[] {PL, 1 << 20, 16 << 20}) {
      AtomicLong progress = new AtomicLong();
      try (StreamingHasher s = HASHER.stream(pieceLength, (done, total) -> progress.set(done))) {
        int off = 0;
        while (off < content.length) {
          int n = Math.min(content.length - off, r.nextInt(200_000));
          if (r.nextBoolean()) {
            s.update(content, off, n);
          } else {
            ByteBuffer direct = ByteBuffer.allocateDirect(n);
            direct.put(content, off, n).flip();
            s.update(direct);
            assertThat(direct.hasRemaining()).isFalse();
          }
          off += n;
        }
        assertThat(s.length()).isEqualTo(content.length);
        assertThat(s.finish()).isEqualTo(Reference.pieces(content, pieceLength));
        assertThat(progress.get()).isEqualTo(content.length);
        assertThatThrownBy(() -> s.update(content, 0, 1)).isInstanceOf(IllegalStateException.class);
      }
    }
  }

  /**
   * Caller-owned batches (direct buffers of whole pieces, the last one short) are hashed in place,
   * in stream order, and each is released exactly once, after which its buffer can be reused.
   */
  @Test
  void streamingCallerBatchesEqualsFileHashingAndReleasesEachOnce() throws Exception {
    byte[] content = new byte[5 * (1 << 20) + 4097];
    new Random(12).nextBytes(content);
    for (int pieceLength : new int[] {PL, 1 << 20}) {
      int batchBytes = Math.max(1 << 20, pieceLength);
      java.util.concurrent.atomic.AtomicInteger released =
          new java.util.concurrent.atomic.AtomicInteger();
      try (StreamingHasher s = HASHER.stream(pieceLength, Progress.NONE)) {
        for (int off = 0; off < content.length; off += batchBytes) {
          int n = Math.min(batchBytes, content.length - off);
          ByteBuffer batch = ByteBuffer.allocateDirect(n).put(content, off, n).flip();
          s.update(batch, released::incrementAndGet);
          assertThat(batch.hasRemaining()).isFalse();
        }
        assertThat(s.finish()).isEqualTo(Reference.pieces(content, pieceLength));
      }
      assertThat(released.get()).isEqualTo((content.length + batchBytes - 1) / batchBytes);
    }
  }

  @Test
  void callerBatchOffAPieceBoundaryIsRefusedAndReleased() throws Exception {
    java.util.concurrent.atomic.AtomicInteger released =
        new java.util.concurrent.atomic.AtomicInteger();
    try (StreamingHasher s = HASHER.stream(PL, Progress.NONE)) {
      s.update(ByteBuffer.allocateDirect(PL + 1), released::incrementAndGet);
      assertThatThrownBy(() -> s.update(ByteBuffer.allocateDirect(PL), released::incrementAndGet))
          .isInstanceOf(IllegalStateException.class);
      s.finish();
    }
    assertThat(released.get()).isEqualTo(2);
  }

  @Test
  void streamingEmptyAndExactPieceMultiples() throws Exception {
    try (StreamingHasher s = HASHER.stream(PL, Progress.NONE)) {
      assertThat(s.finish()).isEmpty();
    }
    byte[] content = new byte[4 * 1024 * 1024]; // exactly one batch
    new Random(2).nextBytes(content);
    try (StreamingHasher s = HASHER.stream(PL, Progress.NONE)) {
      s.update(content, 0, content.length);
      assertThat(s.finish()).isEqualTo(Reference.pieces(content, PL));
    }
  }

  @Test
  @Timeout(20)
  void closingThePoolWithBatchesQueuedFailsTheStreamInsteadOfHanging() throws Exception {
    ParallelPieceHasher one = new ParallelPieceHasher(1);
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    // The progress callback runs on the only worker: blocking it keeps the next batches queued.
    StreamingHasher s = one.stream(4 << 20, (done, total) -> {
      busy.countDown();
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    byte[] batch = new byte[4 << 20];
    s.update(batch, 0, batch.length);
    assertThat(busy.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    s.update(batch, 0, batch.length);
    s.update(batch, 0, batch.length);
    one.close();
    assertThatThrownBy(s::finish).isInstanceOf(IOException.class).hasMessageContaining("closed");
  }

  @Test
  void verifyTreatsADirectoryInPlaceOfAFileAsMissing() throws Exception {
    Path a = write("a", 2 * PL, new Random(4));
    Info info = TorrentBuilder.singleFile("a", 2 * PL).pieceLength(PL)
        .build(HASHER.hash(List.of(a), PL, Progress.NONE)).info();
    Files.delete(a);
    Files.createDirectory(a);
    assertThat(HASHER.verify(info, List.of(a), Progress.NONE).isEmpty()).isTrue();
  }

  @Test
  void streamingFromAClosedHasherFailsCleanly() {
    ParallelPieceHasher closed = new ParallelPieceHasher(1);
    StreamingHasher s = closed.stream(PL, Progress.NONE);
    closed.close();
    assertThatThrownBy(() -> s.update(new byte[8 << 20], 0, 8 << 20))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }
}
