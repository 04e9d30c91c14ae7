package io.swarmcdn.torrent.storage;

/** A {@link PieceStorage} could not read or write (disk full, file removed, quota exceeded). */
public final class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
