package io.swarmcdn.origin.publish;

import java.io.IOException;
import java.nio.channels.FileChannel;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * How an upload's bytes reach its temp file and its hasher, in arrival order: through the page
 * cache ({@link GatheringWriter}) or around it ({@link DirectWriter}). Chosen by {@link
 * UploadWriters}. {@link #add} and {@link #finish} run on the upload's writer thread; {@link
 * #discard} may come from another thread (a cancelled upload).
 */
sealed interface UploadWriter permits GatheringWriter, DirectWriter {

  /** The temp file; the flush forces it once the upload is published. */
  FileChannel channel();

  /** Takes {@code chunk} (released by this writer): written to the file and hashed. */
  void add(DataBuffer chunk) throws IOException;

  /**
   * Returns once the file holds exactly the bytes added, with their pieces' SHA-1s (the hasher
   * is finished).
   */
  byte[] finish() throws IOException;

  /** Drops what is not written yet; later chunks are released as they come. */
  void discard();
}
