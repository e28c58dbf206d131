// Caffeine, the JVM's in-process cache, as a baseline of cachet's benchmark: a child process
// the benchmark starts and drives over its standard input and output, so that its slices
// alternate with cachet's and the other baselines' in one run, on the same data.
//
// The data comes from a file the benchmark writes (little-endian 32-bit integers): the key
// universe as text, the 64-byte values, each thread's uniform sequence, and each thread's
// Zipf warm-up and timed sequences (a key index, with the top bit set for a write). A lookup
// builds a fresh key String ("user/" + key) every time, as a C++ caller passes a new key
// each call: Caffeine then hashes it afresh, where its own benchmarks reuse key objects whose
// hash Java caches. Caches are bounded with maximumSize, as a cache is.
//
// Commands, one a line; each answer is one line:
//   uniform-start                    a cache of every key (maximumSize = the universe), filled
//                                    and exercised untimed (JIT warm-up)         -> ok
//   uniform THREADS SLICE SLICES     gets over the slice of each thread's uniform sequence
//                                    -> seconds ops cpu_seconds
//   zipf-start THREADS CAPACITY      a fresh cache of CAPACITY, filled by the warm-up
//                                    sequences, cache-aside                      -> ok
//   zipf THREADS SLICE SLICES        the cache-aside mix over the slice of each thread's timed
//                                    sequence -> seconds ops cpu_seconds hits gets
//   quit
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

public final class CaffeineBench {
  static final int SET_FLAG = 0x80000000;
  static final int INDEX_MASK = ~SET_FLAG;
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  static final AtomicLong checksum = new AtomicLong();

  static String[] keys;
  static byte[][] values;
  static int[][] uniform;
  static int[][] zipfWarmup;
  static int[][] zipfTimed;
  static Cache<String, byte[]> cache;

  public static void main(String[] args) throws Exception {
    read(args[0]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ");
      switch (w[0]) {
        case "uniform-start":
          uniformStart();
          out.println("ok");
          break;
        case "uniform":
          out.println(uniform(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3])));
          break;
        case "zipf-start":
          zipfStart(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
          out.println("ok");
          break;
        case "zipf":
          out.println(zipf(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3])));
          break;
        case "quit":
          System.err.println("caffeine checksum " + checksum.get());
          return;
        default:
          out.println("error unknown command " + w[0]);
      }
    }
  }

  static int[] ints(DataInputStream in, int n) throws IOException {
    int[] a = new int[n];
    for (int i = 0; i < n; ++i) a[i] = Integer.reverseBytes(in.readInt());
    return a;
  }

  static int[][] sequences(DataInputStream in) throws IOException {
    int threads = Integer.reverseBytes(in.readInt());
    int[][] s = new int[threads][];
    for (int t = 0; t < threads; ++t) s[t] = ints(in, Integer.reverseBytes(in.readInt()));
    return s;
  }

  static void read(String path) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(path), 1 << 16))) {
      int n = Integer.reverseBytes(in.readInt());
      keys = new String[n];
      for (int i = 0; i < n; ++i) {
        byte[] b = new byte[Integer.reverseBytes(in.readInt())];
        in.readFully(b);
        keys[i] = new String(b, StandardCharsets.UTF_8);
      }
      int v = Integer.reverseBytes(in.readInt());
      values = new byte[v][];
      for (int i = 0; i < v; ++i) {
        values[i] = new byte[Integer.reverseBytes(in.readInt())];
        in.readFully(values[i]);
      }
      uniform = sequences(in);
      zipfWarmup = sequences(in);
      zipfTimed = sequences(in);
    }
  }

  // A fresh key object, as each call of a C++ caller passes one.
  static String storedKey(int i) { return "user/".concat(keys[i]); }
  static byte[] valueFor(int i) { return values[i % values.length]; }

  interface Body { long run(int thread); }

  // Runs body on `threads` new threads released together; answers wall seconds, operations
  // and CPU seconds of all threads, as the C++ harness measures its own.
  static double[] runThreads(int threads, Body body) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(threads), go = new CountDownLatch(1);
    long[] ops = new long[threads], cpu = new long[threads], ends = new long[threads];
    Thread[] pool = new Thread[threads];
    for (int t = 0; t < threads; ++t) {
      final int k = t;
      pool[t] = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long c0 = MX.getCurrentThreadCpuTime();
        ops[k] = body.run(k);
        ends[k] = System.nanoTime();
        cpu[k] = MX.getCurrentThreadCpuTime() - c0;
      });
      pool[t].start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    long end = start, total = 0, cpuTotal = 0;
    for (int t = 0; t < threads; ++t) {
      pool[t].join();
      end = Math.max(end, ends[t]);
      total += ops[t];
      cpuTotal += cpu[t];
    }
    return new double[] {(end - start) * 1e-9, total, cpuTotal * 1e-9};
  }

  static int sliceBegin(int n, int slice, int slices) { return (int) ((long) n * slice / slices); }

  static void uniformStart() throws InterruptedException {
    cache = Caffeine.newBuilder().maximumSize(keys.length).build();
    for (int i = 0; i < keys.length; ++i) cache.put(storedKey(i), valueFor(i));
    // The JIT compiles the lookup path before anything is timed.
    for (int round = 0; round < 3; ++round) {
      runThreads(2, t -> {
        long sum = 0;
        for (int i : uniform[t]) sum += cache.getIfPresent(storedKey(i)).length;
        checksum.addAndGet(sum);
        return uniform[t].length;
      });
    }
  }

  static String uniform(int threads, int slice, int slices) throws InterruptedException {
    double[] r = runThreads(threads, t -> {
      int[] seq = uniform[t];
      int begin = sliceBegin(seq.length, slice, slices), end = sliceBegin(seq.length, slice + 1, slices);
      long sum = 0;
      for (int n = begin; n < end; ++n) {
        byte[] v = cache.getIfPresent(storedKey(seq[n]));
        if (v == null) throw new IllegalStateException("uniform get missed");
        sum += v.length + v[0];
      }
      checksum.addAndGet(sum);
      return end - begin;
    });
    return r[0] + " " + (long) r[1] + " " + r[2];
  }

  // One thread's cache-aside loop: a get, and on a miss a set; entries flagged are sets.
  static long cacheAside(int[] seq, int begin, int end, long[] hitsAndGets) {
    long sum = 0, hits = 0, gets = 0;
    for (int n = begin; n < end; ++n) {
      int op = seq[n], i = op & INDEX_MASK;
      if ((op & SET_FLAG) != 0) {
        cache.put(storedKey(i), valueFor(i));
        continue;
      }
      ++gets;
      byte[] v = cache.getIfPresent(storedKey(i));
      if (v != null) {
        ++hits;
        sum += v.length + v[0];
      } else {
        cache.put(storedKey(i), valueFor(i));
      }
    }
    checksum.addAndGet(sum);
    hitsAndGets[0] += hits;
    hitsAndGets[1] += gets;
    return end - begin;
  }

  static boolean zipfWarmed = false;

  static void zipfStart(int threads, int capacity) throws InterruptedException {
    if (!zipfWarmed) {
      // The JIT compiles the cache-aside path (puts and evictions included) on a throwaway
      // cache before the first cache that is measured.
      zipfWarmed = true;
      for (int round = 0; round < 3; ++round) {
        cache = Caffeine.newBuilder().maximumSize(capacity).build();
        long[][] ignored = new long[2][2];
        runThreads(2, t -> cacheAside(zipfWarmup[t], 0, zipfWarmup[t].length, ignored[t]));
      }
    }
    if (cache != null) cache.invalidateAll();
    cache = Caffeine.newBuilder().maximumSize(capacity).build();
    long[][] counts = new long[threads][2];
    runThreads(threads, t -> cacheAside(zipfWarmup[t], 0, zipfWarmup[t].length, counts[t]));
  }

  static String zipf(int threads, int slice, int slices) throws InterruptedException {
    long[][] counts = new long[threads][2];
    double[] r = runThreads(threads, t -> {
      int[] seq = zipfTimed[t];
      return cacheAside(seq, sliceBegin(seq.length, slice, slices), sliceBegin(seq.length, slice + 1, slices),
                        counts[t]);
    });
    long hits = 0, gets = 0;
    for (long[] c : counts) {
      hits += c[0];
      gets += c[1];
    }
    return r[0] + " " + (long) r[1] + " " + r[2] + " " + hits + " " + gets;
  }
}
