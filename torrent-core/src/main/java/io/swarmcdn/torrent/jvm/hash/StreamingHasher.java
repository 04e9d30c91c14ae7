package io.swarmcdn.torrent.jvm.hash;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Hashes pieces of content that arrives bit by bit, without reading it back: {@link #update}
 * copies the bytes into a batch buffer of whole pieces; each full batch is hashed on the pool
 * while the next one fills. At most {@code maxBatches} buffers exist; when all are being hashed,
 * {@link #update} waits (back-pressure), so memory stays bounded however fast bytes arrive.
 *
 * <p>One producer: {@code update}/{@code finish} must not be called concurrently.
 */
public final class StreamingHasher implements AutoCloseable {
  private final ExecutorService executor;
  private final int pieceLength;
  private final int batchBytes;
  private final int maxBatches;
  private final BlockingQueue<byte[]> free;
  private final ProgressCounter progress;
  private int allocated;
  private byte[] current;
  private int fill;
  /** Index of the first piece of {@link #current}. */
  private int batchFirstPiece;
  private long length;

  private final Object lock = new Object();
  private byte[] digests = new byte[20 * 64];
  private int outstanding;
  private Throwable failure;
  private boolean closed;

  StreamingHasher(ExecutorService executor, int maxBatches, int pieceLength, Progress progress) {
    this.executor = executor;
    this.pieceLength = pieceLength;
    int pieces = Math.max(1, FileHashJob.CHUNK_TARGET / pieceLength);
    this.batchBytes = pieces * pieceLength;
    this.maxBatches = maxBatches;
    this.free = new ArrayBlockingQueue<>(maxBatches);
    this.progress = new ProgressCounter(progress, -1);
  }

  /** Adds {@code len} bytes of {@code data} from {@code off}. */
  public void update(byte[] data, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, data.length);
    while (len > 0) {
      byte[] buffer = buffer();
      int n = Math.min(len, batchBytes - fill);
      System.arraycopy(data, off, buffer, fill, n);
      advance(n);
      off += n;
      len -= n;
    }
  }

  /** Adds the remaining bytes of {@code data} (heap or direct), consuming them. */
  public void update(ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      byte[] buffer = buffer();
      int n = Math.min(data.remaining(), batchBytes - fill);
      data.get(buffer, fill, n);
      advance(n);
    }
  }

  /** Bytes added so far. */
  public long length() {
    return length;
  }

  /**
   * Hashes what is left, waits for all pieces and returns their concatenated SHA-1s (empty for
   * empty content). The hasher cannot be used afterwards.
   */
  public byte[] finish() throws IOException {
    checkOpen();
    if (fill > 0) {
      submit();
    }
    synchronized (lock) {
      try {
        while (outstanding > 0 && failure == null) {
          checkPool();
          lock.wait(100);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing");
      } finally {
        closed = true;
      }
      rethrow();
      long pieces = (length + pieceLength - 1) / pieceLength;
      return Arrays.copyOf(digests, (int) (20 * pieces));
    }
  }

  /** Abandons the hashing (e.g. the upload failed); running batches finish in the background. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  private byte[] buffer() throws IOException {
    checkOpen();
    if (current == null) {
      byte[] b = free.poll();
      if (b == null && allocated < maxBatches) {
        allocated++;
        b = new byte[batchBytes];
      }
      if (b == null) {
        try {
          while ((b = free.poll(100, TimeUnit.MILLISECONDS)) == null) {
            checkOpen();
            synchronized (lock) {
              checkPool();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the hashers");
        }
      }
      current = b;
    }
    return current;
  }

  private void advance(int n) throws IOException {
    fill += n;
    length += n;
    if (fill == batchBytes) {
      submit();
    }
  }

  private void submit() throws IOException {
    byte[] batch = current;
    int bytes = fill;
    int first = batchFirstPiece;
    current = null;
    fill = 0;
    batchFirstPiece += (bytes + pieceLength - 1) / pieceLength;
    synchronized (lock) {
      outstanding++;
    }
    try {
      executor.execute(() -> hashBatch(batch, bytes, first));
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        outstanding--;
      }
      throw new IOException("the hasher was closed", e);
    }
  }

  private void hashBatch(byte[] batch, int bytes, int firstPiece) {
    try {
      MessageDigest md = WorkerState.digest();
      int pieces = (bytes + pieceLength - 1) / pieceLength;
      byte[] out = new byte[20 * pieces];
      for (int i = 0; i < pieces; i++) {
        int off = i * pieceLength;
        md.update(batch, off, Math.min(pieceLength, bytes - off));
        md.digest(out, 20 * i, 20);
      }
      synchronized (lock) {
        int end = 20 * (firstPiece + pieces);
        if (end > digests.length) {
          digests = Arrays.copyOf(digests, Math.max(end, 2 * digests.length));
        }
        System.arraycopy(out, 0, digests, 20 * firstPiece, out.length);
      }
      progress.add(bytes);
    } catch (DigestException | RuntimeException e) {
      synchronized (lock) {
        failure = e;
      }
    } finally {
      free.offer(batch);
      synchronized (lock) {
        outstanding--;
        lock.notifyAll();
      }
    }
  }

  /**
   * A pool shut down with batches still queued will never run them: fail instead of waiting for
   * them forever.
   */
  private void checkPool() throws IOException {
    if (executor.isShutdown() && outstanding > 0) {
      throw new IOException("the hasher was closed while hashing");
    }
  }

  private void checkOpen() throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the hasher is finished or closed");
      }
      rethrow();
    }
  }

  private void rethrow() throws IOException {
    if (failure != null) {
      throw new IOException("hashing failed", failure);
    }
  }
}
