package io.edgefleet.telemetry.topology;

import io.edgefleet.telemetry.config.Setting;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.apache.kafka.streams.state.RocksDBConfigSetter;

/**
 * Bounds the memory of every RocksDB store of this JVM: one LRU block cache (index and filter blocks included) and one
 * write-buffer manager charged against it, sized by {@link Setting#ROCKSDB_MEMORY_BYTES} (the Kafka Streams documented
 * pattern). Without it each store partition takes its own default cache and memtables.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {
  private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
  private static final long DEFAULT_BYTES = 64L << 20;

  private static Cache cache;
  private static WriteBufferManager writeBufferManager;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    synchronized (BoundedMemoryRocksDbConfig.class) {
      if (cache == null) {
        long total = DEFAULT_BYTES;
        Object configured = configs.get(Setting.ROCKSDB_MEMORY_BYTES.property());
        if (configured != null) {
          total = Long.parseLong(configured.toString());
        }
        cache = new LRUCache(total, -1, false, INDEX_FILTER_BLOCK_RATIO);
        writeBufferManager = new WriteBufferManager(total / 4, cache);
      }
      table.setBlockCache(cache);
      options.setWriteBufferManager(writeBufferManager);
    }
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setMaxWriteBufferNumber(2);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // the cache and write-buffer manager are shared by every store of the JVM: never closed per store
  }
}
