package io.swarmcdn.cli;

/** Entry point of bin/swarmcdn-torrent. */
public final class TorrentCli {
  private TorrentCli() {}

  public static void main(String[] args) {
    System.out.println("usage: swarmcdn-torrent <create|info|verify> ...");
  }
}
