package io.swarmcdn.origin.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import io.swarmcdn.origin.tracker.swarm.SwarmCounts;
import io.swarmcdn.origin.tracker.swarm.Swarms;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The listing behind scrapes without info_hash: who is listed, in which order, how fresh. */
class AllSwarmsScrapeTest {
  private static final long SECOND = 1_000_000_000L;
  private final Random random = new Random(3);
  private final SwarmCensus census = new SwarmCensus();
  private final Swarms<String> http = new Swarms<>("http", 1000, 100);
  private final Swarms<String> websocket = new Swarms<>("websocket", 1000, 100);

  AllSwarmsScrapeTest() {
    census.register(http);
    census.register(websocket);
  }

  /** Background walks, run when the test says so. */
  private final List<Runnable> background = new ArrayList<>();

  private AllSwarmsScrape scrape(int maxTorrents, Duration refresh) {
    TrackerProperties.ScrapeAll config = new TrackerProperties.ScrapeAll();
    config.setMaxTorrents(maxTorrents);
    config.setRefresh(refresh);
    return new AllSwarmsScrape(census, new TorrentAllowList(true, null), config, background::add);
  }

  private InfoHash hash() {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return InfoHash.of(bytes);
  }

  private void join(Swarms<String> swarms, InfoHash infoHash, boolean seeder) {
    byte[] id = new byte[20];
    random.nextBytes(id);
    swarms.announce(infoHash, PeerId.of(id), "peer", seeder, false, 0);
  }

  @Test
  void listsTheBusiestTorrentsOverBothTransportsUpToTheLimit() {
    InfoHash quiet = hash();
    InfoHash busy = hash();
    InfoHash middle = hash();
    join(http, quiet, true);
    join(http, busy, true);
    join(websocket, busy, false);
    join(websocket, busy, false);
    join(websocket, middle, true);
    join(websocket, middle, true);

    List<SwarmCensus.Torrent> listed = scrape(2, Duration.ZERO).snapshot(0).torrents();
    assertThat(listed).extracting(SwarmCensus.Torrent::infoHash).containsExactly(busy, middle);
    assertThat(listed.get(0).counts()).isEqualTo(new SwarmCounts(1, 2, 0));
    assertThat(scrape(10, Duration.ZERO).snapshot(0).torrents()).hasSize(3);
  }

  @Test
  void aSnapshotIsReusedForTheRefreshPeriodThenTakenAnewInTheBackground() {
    AllSwarmsScrape scrape = scrape(10, Duration.ofSeconds(5));
    join(http, hash(), true);
    AllSwarmsScrape.Snapshot first = scrape.snapshot(100 * SECOND);
    assertThat(first.torrents()).as("the first one is taken at once").hasSize(1);
    join(http, hash(), true);
    assertThat(scrape.snapshot(104 * SECOND)).isSameAs(first);
    assertThat(background).isEmpty();

    // Stale: served as it is while one walk (not one per scrape) runs elsewhere.
    assertThat(scrape.snapshot(105 * SECOND)).isSameAs(first);
    assertThat(scrape.snapshot(106 * SECOND)).isSameAs(first);
    assertThat(background).hasSize(1);
    background.remove(0).run();
    AllSwarmsScrape.Snapshot next = scrape.snapshot(106 * SECOND);
    assertThat(next).isNotSameAs(first);
    assertThat(next.torrents()).hasSize(2);
  }

  @Test
  void withRefreshZeroEveryScrapeSeesTheCurrentSwarms() {
    AllSwarmsScrape scrape = scrape(10, Duration.ZERO);
    join(http, hash(), true);
    assertThat(scrape.snapshot(0).torrents()).hasSize(1);
    join(websocket, hash(), true);
    assertThat(scrape.snapshot(0).torrents()).hasSize(2);
    assertThat(background).isEmpty();
  }

  @Test
  void zeroTurnsItOffAndNegativeSettingsAreRefused() {
    assertThat(scrape(0, Duration.ZERO).enabled()).isFalse();
    assertThat(scrape(1, Duration.ZERO).enabled()).isTrue();
    assertThatThrownBy(() -> scrape(-1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> scrape(1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
