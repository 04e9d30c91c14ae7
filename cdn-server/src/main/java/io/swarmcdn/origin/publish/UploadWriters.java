package io.swarmcdn.origin.publish;

import com.sun.nio.file.ExtendedOpenOption;
import io.swarmcdn.origin.config.SwarmCdnProperties;
import io.swarmcdn.torrent.jvm.hash.StreamingHasher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Opens each upload's temp file with the cheapest writer its file system allows: {@link
 * DirectWriter} (O_DIRECT) when {@code swarmcdn.upload-direct-io} is on and a probe write in the
 * upload area worked at start, else {@link GatheringWriter} (buffered). A file system that
 * refuses O_DIRECT only for some file (open fails with EINVAL) gets the buffered writer too.
 * Owns the I/O threads that write the direct blocks, so that the writer thread can fill the next
 * block meanwhile.
 */
@Component
final class UploadWriters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UploadWriters.class);
  /**
   * O_DIRECT transfer size, unless a piece is larger (a block holds whole pieces, so that the
   * hasher reads it in place). An O_DIRECT write returns only once the device has the data, and
   * one upload's writes go one at a time, so the disk's time per write is on the upload's
   * critical path: measured on this VM's disk, 1 GiB takes 0.75 s in 1 MiB writes and 0.69 s in
   * 4 MiB ones ({@code dd oflag=direct}), and a 1 GiB upload went from 1.02-1.15 s with 1 MiB
   * blocks to 0.80-0.89 s with 4 MiB ones (the CPU idled waiting for the disk in between).
   */
  static final int BLOCK_BYTES = 4 << 20;
  /** Idle blocks kept for the next uploads, per block size (the rest goes to the collector). */
  private static final int IDLE_BYTES = 16 << 20;
  private static final int IO_THREADS = 4;
  /**
   * Direct memory all direct writers may hold at once (each reserves {@link
   * DirectWriter#reservedBytes} for its whole upload). Uploads beyond it are written through the
   * page cache instead: slower by ~0.3 CPU-s per GiB, but they never wait for another upload's
   * blocks (a stalled client holds its block until the upload times out) and never exhaust the
   * direct memory Netty needs for every connection.
   */
  static final int DIRECT_BUDGET_BYTES = 64 << 20;

  /** Null when uploads are written through the page cache. */
  private final AlignedBlocks blocks;
  /** Pools of blocks larger than {@link #BLOCK_BYTES}, for large pieces. */
  private final Map<Integer, AlignedBlocks> largeBlocks = new ConcurrentHashMap<>();
  private final ExecutorService io;
  /** Starts the writeback of buffered uploads while they arrive. */
  private final UploadFlusher flusher;
  /** Free {@link #DIRECT_BUDGET_BYTES}, in KiB (a block size is a multiple of 4 KiB). */
  private final Semaphore directBudgetKib = new Semaphore(DIRECT_BUDGET_BYTES >> 10);
  /** Bytes of direct uploads that their connection's reads put in their blocks (not copied). */
  private final LongAdder readInPlace = new LongAdder();

  UploadWriters(UploadArea area, UploadFlusher flusher, SwarmCdnProperties properties) {
    this.flusher = flusher;
    this.blocks = properties.isUploadDirectIo() ? probe(area) : null;
    AtomicInteger n = new AtomicInteger();
    this.io = Executors.newFixedThreadPool(IO_THREADS, r -> {
      Thread t = new Thread(r, "upload-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Direct memory not reserved by uploads in progress (what {@link #open} may still give). */
  long freeDirectBytes() {
    return (long) directBudgetKib.availablePermits() << 10;
  }

  /** Bytes of direct uploads read into their blocks in place since start (the rest was copied). */
  long bytesReadInPlace() {
    return readInPlace.sum();
  }

  /** Whether uploads are written with O_DIRECT. */
  boolean direct() {
    return blocks != null;
  }

  /** A writer of the empty file {@code temp}, feeding {@code hasher} (of pieces of that length). */
  UploadWriter open(Path temp, StreamingHasher hasher, int pieceLength) throws IOException {
    if (blocks != null) {
      // Piece lengths are powers of two (BEP 3 usage), so either divides the other.
      AlignedBlocks pool = pieceLength <= BLOCK_BYTES ? blocks : largeBlocks.computeIfAbsent(
          pieceLength, size -> new AlignedBlocks(size, blocks.alignment(), idleBlocks(size)));
      int kib = DirectWriter.reservedBytes(pool.size()) >> 10;
      if (directBudgetKib.tryAcquire(kib)) {
        try {
          return new DirectWriter(FileChannel.open(temp, StandardOpenOption.WRITE,
              ExtendedOpenOption.DIRECT), hasher, pool, io, readInPlace,
              () -> directBudgetKib.release(kib));
        } catch (UnsupportedOperationException e) {
          directBudgetKib.release(kib);
          log.debug("O_DIRECT refused for {}, writing it buffered: {}", temp, e.toString());
        } catch (IOException | RuntimeException e) {
          directBudgetKib.release(kib);
          throw e;
        }
      }
    }
    return new GatheringWriter(FileChannel.open(temp, StandardOpenOption.WRITE), hasher, flusher);
  }

  /** Aligned blocks for the upload area's file system, or null if O_DIRECT does not work there. */
  private static AlignedBlocks probe(UploadArea area) {
    Path probe = null;
    try {
      probe = area.newTempFile();
      int alignment = Math.toIntExact(Files.getFileStore(probe).getBlockSize());
      if (alignment <= 0 || BLOCK_BYTES % alignment != 0) {
        throw new IOException("block size " + alignment + " does not divide " + BLOCK_BYTES);
      }
      AlignedBlocks blocks = new AlignedBlocks(BLOCK_BYTES, alignment, idleBlocks(BLOCK_BYTES));
      ByteBuffer block = blocks.take().limit(alignment);
      try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.WRITE,
          ExtendedOpenOption.DIRECT)) {
        channel.write(block, 0);
      }
      blocks.give(block);
      log.info("Uploads are written with O_DIRECT ({}-byte alignment)", alignment);
      return blocks;
    } catch (IOException | RuntimeException e) {
      log.info("Uploads are written through the page cache: O_DIRECT does not work on the media "
          + "folder's file system ({})", e.toString());
      return null;
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException e) {
          // deleted at the next start by UploadArea
        }
      }
    }
  }

  private static int idleBlocks(int size) {
    return Math.max(1, IDLE_BYTES / size);
  }

  @Override
  public void close() {
    io.shutdown();
  }
}
