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
 * {@link #update} waits (back-pressure), so memory stays bounded however fast bytes arrive. A
 * producer that already holds whole pieces in buffers of its own hands them over instead ({@link
 * #update(ByteBuffer, Runnable)}), saving the copy.
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

  /**
   * Hashes the remaining bytes of {@code batch} as the next bytes of the content, in place on the
   * pool (no copy into a batch of the hasher's own), then runs {@code release}: from then on the
   * caller may reuse the buffer. For producers that hold the bytes in buffers of their own anyway
   * (an upload written with O_DIRECT from aligned blocks). The batch must hold whole pieces, except
   * the last one of the content; not to be mixed with the copying {@code update} methods. There is
   * no back-pressure here: the caller bounds its buffers.
   */
  public void update(ByteBuffer batch, Runnable release) throws IOException {
    try {
      checkOpen();
      if (fill != 0 || length % pieceLength != 0) {
        throw new IllegalStateException("a batch must start on a piece boundary, at " + length);
      }
    } catch (IOException | RuntimeException e) {
      release.run();
      throw e;
    }
    int bytes = batch.remaining();
    ByteBuffer data = batch.slice();
    batch.position(batch.limit());
    int first = batchFirstPiece;
    batchFirstPiece += (bytes + pieceLength - 1) / pieceLength;
    length += bytes;
    submit(data, first, release);
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
    submit(ByteBuffer.wrap(batch, 0, bytes), first, () -> free.offer(batch));
  }

  private void submit(ByteBuffer batch, int first, Runnable release) throws IOException {
    synchronized (lock) {
      outstanding++;
    }
    try {
      executor.execute(() -> hashBatch(batch, first, release));
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        outstanding--;
      }
      release.run();
      throw new IOException("the hasher was closed", e);
    }
  }

  /**
   * Hashes the pieces of {@code batch}. A heap batch is read in place by the digest; a direct one
   * through the digest's small (L1-sized) staging array.
   */
  private void hashBatch(ByteBuffer batch, int firstPiece, Runnable release) {
    try {
      MessageDigest md = WorkerState.digest();
      int bytes = batch.remaining();
      int pieces = (bytes + pieceLength - 1) / pieceLength;
      byte[] out = new byte[20 * pieces];
      for (int i = 0; i < pieces; i++) {
        int off = i * pieceLength;
        md.update(batch.slice(off, Math.min(pieceLength, bytes - off)));
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
      release.run();
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
