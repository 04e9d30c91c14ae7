package io.swarmcdn.torrent.jvm.hash;

import io.swarmcdn.torrent.metainfo.FileSpan;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of hashing files on disk: the content is cut into chunks of whole pieces, and each
 * worker repeatedly claims the next chunk (so reads stay close to sequential), reads it with
 * positional reads straight into its own direct buffer (one copy, kernel to buffer) and hashes
 * the pieces in it with its own MessageDigest, writing each digest into its slot of the result.
 */
final class FileHashJob {
  /** Chunks aim at this size: big sequential reads, few hand-offs, a few MiB per worker. */
  static final int CHUNK_TARGET = 4 << 20;

  private final PieceLayout layout;
  private final List<Path> files;
  private final boolean strict;
  private final ProgressCounter progress;
  private final int chunkPieces;
  private final int chunkCount;
  private final AtomicInteger nextChunk = new AtomicInteger();
  private final byte[] digests;
  private final BitSet missing = new BitSet();
  private volatile boolean stopped;

  /**
   * @param strict whether missing or short files are an error (creating) or just bad pieces
   *     (verifying)
   */
  FileHashJob(PieceLayout layout, List<Path> files, boolean strict, Progress progress) {
    this.layout = layout;
    this.files = files;
    this.strict = strict;
    this.progress = new ProgressCounter(progress, layout.totalLength());
    this.chunkPieces = Math.max(1, CHUNK_TARGET / layout.pieceLength());
    this.chunkCount = (int) ((layout.pieceCount() + (long) chunkPieces - 1) / chunkPieces);
    this.digests = new byte[20 * layout.pieceCount()];
  }

  /** Runs on {@code workers} threads of {@code executor}; returns the concatenated digests. */
  byte[] run(ExecutorService executor, int workers) throws IOException {
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < Math.min(workers, chunkCount); i++) {
        futures.add(executor.submit(() -> {
          work();
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      } else if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    } finally {
      stopped = true;
      for (Future<?> f : futures) {
        f.cancel(false);
      }
    }
    return digests;
  }

  /** Pieces that could not be read completely (only when not strict). */
  BitSet missingPieces() {
    synchronized (missing) {
      return (BitSet) missing.clone();
    }
  }

  private void work() throws IOException {
    MessageDigest md = WorkerState.digest();
    ByteBuffer buffer = WorkerState.buffer(chunkPieces * layout.pieceLength());
    try (OpenFiles open = new OpenFiles(files)) {
      int chunk;
      while (!stopped && (chunk = nextChunk.getAndIncrement()) < chunkCount) {
        hashChunk(chunk, buffer, md, open);
      }
    }
  }

  private void hashChunk(int chunk, ByteBuffer buffer, MessageDigest md, OpenFiles open)
      throws IOException {
    int first = chunk * chunkPieces;
    int end = Math.min(layout.pieceCount(), first + chunkPieces);
    long start = layout.pieceOffset(first);
    int length = (int) Math.min((long) chunkPieces * layout.pieceLength(), layout.totalLength() - start);
    buffer.clear();
    long position = start;
    for (FileSpan span : layout.spans(start, length)) {
      int read = open.read(span, buffer);
      if (read < span.length()) {
        if (strict) {
          throw new IOException(
              files.get(span.fileIndex())
                  + " is missing or shorter than expected (did it change while hashing?)");
        }
        markMissing(position + read, span.length() - read);
        buffer.position(buffer.position() + span.length() - read);
      }
      position += span.length();
    }
    for (int piece = first; piece < end; piece++) {
      int offset = (int) (layout.pieceOffset(piece) - start);
      buffer.limit(offset + layout.pieceSize(piece)).position(offset);
      md.update(buffer);
      try {
        md.digest(digests, 20 * piece, 20);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
    }
    progress.add(length);
  }

  private void markMissing(long offset, int length) {
    int from = layout.pieceIndexAt(offset);
    int to = layout.pieceIndexAt(offset + length - 1);
    synchronized (missing) {
      missing.set(from, to + 1);
    }
  }

  /** The channels one worker has open; a worker walks files in order, so it keeps one at a time. */
  private static final class OpenFiles implements AutoCloseable {
    private final List<Path> files;
    private int index = -1;
    private FileChannel channel;
    private boolean absent;

    OpenFiles(List<Path> files) {
      this.files = files;
    }

    /** Reads the span into the buffer; returns the bytes read, fewer at end of file. */
    int read(FileSpan span, ByteBuffer buffer) throws IOException {
      if (span.fileIndex() != index) {
        close();
        index = span.fileIndex();
        Path path = files.get(index);
        // A directory or a missing file has no bytes for the torrent: its pieces fail to verify,
        // or (when creating) the short read is reported.
        absent = !Files.isRegularFile(path);
        if (!absent) {
          channel = FileChannel.open(path, StandardOpenOption.READ);
        }
      }
      if (absent) {
        return 0;
      }
      int total = 0;
      int limit = buffer.limit();
      buffer.limit(buffer.position() + span.length());
      try {
        while (buffer.hasRemaining()) {
          int n = channel.read(buffer, span.fileOffset() + total);
          if (n < 0) {
            break;
          }
          total += n;
        }
      } finally {
        buffer.limit(limit);
      }
      return total;
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
  }
}
