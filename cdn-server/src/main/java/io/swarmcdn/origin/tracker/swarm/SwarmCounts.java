package io.swarmcdn.origin.tracker.swarm;

/**
 * The figures a tracker reports for a swarm (BEP 3 announce, BEP 48 scrape).
 *
 * @param complete peers that have the whole torrent (seeders)
 * @param incomplete peers still downloading (leechers)
 * @param downloaded {@code completed} events seen since the swarm was created
 */
public record SwarmCounts(int complete, int incomplete, long downloaded) {

  /** A swarm nobody has joined yet. */
  public static final SwarmCounts EMPTY = new SwarmCounts(0, 0, 0);

  /** Sum of two transports' counts for the same torrent (scrape reports both). */
  public SwarmCounts plus(SwarmCounts other) {
    return new SwarmCounts(
        complete + other.complete, incomplete + other.incomplete, downloaded + other.downloaded);
  }
}
