package io.swarmcdn.origin.library;

import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One piece-hashing pool (a thread per core) shared by the library scan and uploads. */
@Configuration(proxyBeanMethods = false)
class HasherConfiguration {

  @Bean(destroyMethod = "close")
  ParallelPieceHasher parallelPieceHasher() {
    return new ParallelPieceHasher();
  }
}
