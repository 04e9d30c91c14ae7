package io.swarmcdn.torrent.metainfo;

/** A .torrent file (or info dictionary) that is malformed or unsafe; the message says why. */
public final class MetainfoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetainfoException(String message) {
    super(message);
  }

  public MetainfoException(String message, Throwable cause) {
    super(message, cause);
  }
}
