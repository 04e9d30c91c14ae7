package io.swarmcdn.torrent.metainfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Piece arithmetic of a v1 torrent (BEP 3): the files are concatenated in order and cut into pieces
 * of {@code pieceLength} bytes (the last one shorter), and pieces are requested in blocks of 16 KiB.
 *
 * <p>Offsets are {@code long}; sizes of pieces, blocks and spans are {@code int} (bounded by the
 * piece length). Nothing overflows for torrents far beyond 1 TiB.
 */
public final class PieceLayout {
  /** The request size every client uses (BEP 3 "typically 2^14"; larger requests get dropped). */
  public static final int BLOCK_SIZE = 16 * 1024;

  private final int pieceLength;
  private final long totalLength;
  private final int pieceCount;
  private final long[] fileStarts;
  private final long[] fileLengths;

  private PieceLayout(int pieceLength, long[] fileLengths) {
    if (pieceLength <= 0) {
      throw new IllegalArgumentException("piece length must be positive: " + pieceLength);
    }
    this.pieceLength = pieceLength;
    this.fileLengths = fileLengths;
    this.fileStarts = new long[fileLengths.length];
    long total = 0;
    for (int i = 0; i < fileLengths.length; i++) {
      if (fileLengths[i] < 0) {
        throw new IllegalArgumentException("file " + i + " has negative length");
      }
      fileStarts[i] = total;
      total = Math.addExact(total, fileLengths[i]);
    }
    long pieces = (total + pieceLength - 1) / pieceLength;
    if (pieces > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many pieces: " + pieces);
    }
    this.totalLength = total;
    this.pieceCount = (int) pieces;
  }

  /** The layout of files of these lengths (in torrent order) cut into pieces of pieceLength. */
  public static PieceLayout of(int pieceLength, long... fileLengths) {
    return new PieceLayout(pieceLength, fileLengths.clone());
  }

  public int pieceLength() {
    return pieceLength;
  }

  public int pieceCount() {
    return pieceCount;
  }

  public long totalLength() {
    return totalLength;
  }

  public int fileCount() {
    return fileLengths.length;
  }

  /** Where piece {@code index} starts in the concatenated files. */
  public long pieceOffset(int index) {
    checkPiece(index);
    return (long) index * pieceLength;
  }

  /** Size of piece {@code index}: the piece length, except for a shorter last piece. */
  public int pieceSize(int index) {
    checkPiece(index);
    long start = (long) index * pieceLength;
    return (int) Math.min(pieceLength, totalLength - start);
  }

  /** The piece holding byte {@code offset} of the concatenated files. */
  public int pieceIndexAt(long offset) {
    if (offset < 0 || offset >= totalLength) {
      throw new IndexOutOfBoundsException("offset " + offset + " outside [0, " + totalLength + ")");
    }
    return (int) (offset / pieceLength);
  }

  /** Where file {@code fileIndex} starts in the concatenated files. */
  public long fileOffset(int fileIndex) {
    return fileStarts[fileIndex];
  }

  /** The file parts piece {@code index} covers, in order; zero-length files never appear. */
  public List<FileSpan> spans(int index) {
    return spans(pieceOffset(index), pieceSize(index));
  }

  /**
   * The file parts covering {@code length} bytes from {@code offset} of the concatenated files
   * (for a block request or a web seed range); zero-length files never appear.
   */
  public List<FileSpan> spans(long offset, int length) {
    if (offset < 0 || length < 0 || offset > totalLength - length) {
      throw new IndexOutOfBoundsException(
          "range [" + offset + ", +" + length + ") outside [0, " + totalLength + ")");
    }
    List<FileSpan> out = new ArrayList<>(2);
    if (length == 0) {
      return out;
    }
    // Last file starting at or before offset; files sharing a start are zero-length except the
    // last of them, so this is the file that holds the byte at offset.
    int file = Arrays.binarySearch(fileStarts, offset);
    if (file < 0) {
      file = -file - 2;
    } else {
      while (file + 1 < fileStarts.length && fileStarts[file + 1] == offset) {
        file++;
      }
    }
    long position = offset;
    int remaining = length;
    while (remaining > 0) {
      long inFile = position - fileStarts[file];
      long available = fileLengths[file] - inFile;
      if (available > 0) {
        int take = (int) Math.min(available, remaining);
        out.add(new FileSpan(file, inFile, take));
        remaining -= take;
        position += take;
      }
      file++;
    }
    return out;
  }

  /** Number of 16 KiB blocks of piece {@code index} (the last one may be shorter). */
  public int blockCount(int piece) {
    return (pieceSize(piece) + BLOCK_SIZE - 1) / BLOCK_SIZE;
  }

  /** Size of block {@code block} of piece {@code piece}. */
  public int blockSize(int piece, int block) {
    int size = pieceSize(piece);
    int count = (size + BLOCK_SIZE - 1) / BLOCK_SIZE;
    if (block < 0 || block >= count) {
      throw new IndexOutOfBoundsException("block " + block + " of piece " + piece + " (" + count + " blocks)");
    }
    return Math.min(BLOCK_SIZE, size - block * BLOCK_SIZE);
  }

  private void checkPiece(int index) {
    if (index < 0 || index >= pieceCount) {
      throw new IndexOutOfBoundsException("piece " + index + " outside [0, " + pieceCount + ")");
    }
  }
}
