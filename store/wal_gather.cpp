#include "store/wal_gather.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <mutex>
#include <vector>

// SQLite writes each WAL frame with two writes, its 24-byte header and then its page: a commit
// that changes 30 pages costs 60 system calls, and on the virtual machines icemu's benchmark
// runs on a system call costs about as much as a read request's own work. The frames of one
// commit are contiguous, so this VFS keeps them in memory and writes them with one pwrite as
// soon as the commit frame (the last one, whose header carries the database size) is complete:
// inside sqlite3WalFrames, before the commit is made visible to readers (the wal-index header),
// and with its result returned to SQLite, which fails and rolls back the commit as it would
// have for the write of any frame.
//
// Only appends at the end of the WAL are gathered. Anything else (a frame rewritten in place, the
// checksums SQLite rewrites after such a rewrite, the WAL's own header when it starts over) is
// written at once, after what is gathered, so writes reach the file in SQLite's order. Every
// other call on the file (a read, a sync, its size, a truncation, closing it) writes what is
// gathered first. The shared-memory barrier that SQLite issues while it publishes a commit
// writes anything still gathered too; it should never find any (SQLite always writes a commit
// frame first), and since it cannot return an error, a failure there ends the process rather
// than let readers see frames that are not in the file.

namespace icemu::store {
namespace {

constexpr int frame_header_bytes = 24;
constexpr int wal_header_bytes = 32;
constexpr std::size_t flush_past_bytes = 4 * 1024 * 1024;
constexpr std::size_t max_write_bytes = 128 * 1024 - 4096;

std::atomic<std::uint64_t> flushes{0};
std::atomic<std::uint64_t> gathered_writes{0};
std::atomic<std::uint64_t> commit_flushes{0};
std::atomic<std::uint64_t> in_place_writes{0};

struct gathered {
    std::vector<unsigned char> bytes; // contiguous, from `offset`
    sqlite3_int64 offset = 0;
    sqlite3_int64 end = -1;       // where the WAL's written content ends (-1: not known yet)
    sqlite3_int64 commit_at = -1; // offset of the page of the commit frame whose header came
};

struct gather_file {
    sqlite3_file base; // first: SQLite sees this struct as its sqlite3_file
    sqlite3_file* real;
    int flags;          // xOpen's
    gathered* pending;  // set on a WAL whose connection gathers (gather_wal_writes)
    gather_file* wal;   // on a main database file: its gathering WAL
    gather_file* owner; // on a gathering WAL: the main database file that links to it
};

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs vfs{};

gather_file* as_gather(sqlite3_file* f) {
    return reinterpret_cast<gather_file*>(f);
}

sqlite3_io_methods const* methods_of(gather_file* g) {
    return g->real->pMethods;
}

constexpr std::size_t real_offset() {
    return (sizeof(gather_file) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
           alignof(std::max_align_t);
}

std::uint32_t big_endian_u32(void const* at) {
    auto const* b = static_cast<unsigned char const*>(at);
    return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 |
           std::uint32_t{b[3]};
}

// Writes what is gathered, through the real file's xWrite so that its errors map to SQLite's
// codes as they always did: in pieces, since the unix VFS writes at most 128 KiB - 1 a call
// (its seekAndWriteFd). On failure the bytes stay gathered.
int flush(gather_file* g) {
    gathered* p = g->pending;
    if (p == nullptr || p->bytes.empty())
        return SQLITE_OK;
    std::size_t done = 0;
    while (done < p->bytes.size()) {
        std::size_t const piece = std::min(p->bytes.size() - done, max_write_bytes);
        int const rc =
            methods_of(g)->xWrite(g->real, p->bytes.data() + done, static_cast<int>(piece),
                                  p->offset + static_cast<sqlite3_int64>(done));
        if (rc != SQLITE_OK)
            return rc;
        done += piece;
    }
    p->bytes.clear();
    flushes.fetch_add(1, std::memory_order_relaxed);
    return SQLITE_OK;
}

int x_close(sqlite3_file* f) {
    gather_file* g = as_gather(f);
    int rc = flush(g);
    if (g->owner != nullptr)
        g->owner->wal = nullptr;
    if (g->wal != nullptr)
        g->wal->owner = nullptr;
    delete g->pending;
    g->pending = nullptr;
    int const closed = methods_of(g)->xClose(g->real);
    return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    gather_file* g = as_gather(f);
    if (int const rc = flush(g); rc != SQLITE_OK)
        return rc;
    return methods_of(g)->xRead(g->real, out, amount, offset);
}

int x_write(sqlite3_file* f, void const* data, int amount, sqlite3_int64 offset) {
    gather_file* g = as_gather(f);
    gathered* p = g->pending;
    if (p == nullptr)
        return methods_of(g)->xWrite(g->real, data, amount, offset);
    bool const append = p->end >= 0 && offset >= p->end &&
                        (p->bytes.empty() || offset == p->offset + std::ssize(p->bytes));
    if (!append) {
        // In place, or the WAL starting over: after what is gathered, and at once.
        if (int const rc = flush(g); rc != SQLITE_OK)
            return rc;
        int const rc = methods_of(g)->xWrite(g->real, data, amount, offset);
        if (rc != SQLITE_OK)
            return rc;
        in_place_writes.fetch_add(1, std::memory_order_relaxed);
        if (offset == 0 && amount == wal_header_bytes)
            p->end = wal_header_bytes; // a new WAL: frames append from here
        else if (p->end >= 0 && offset + amount > p->end)
            p->end = offset + amount;
        return SQLITE_OK;
    }
    if (p->bytes.empty())
        p->offset = offset;
    auto const* bytes = static_cast<unsigned char const*>(data);
    p->bytes.insert(p->bytes.end(), bytes, bytes + amount);
    p->end = offset + amount;
    gathered_writes.fetch_add(1, std::memory_order_relaxed);
    bool commit_end = false;
    if (amount == frame_header_bytes && big_endian_u32(bytes + 4) != 0)
        p->commit_at = offset + frame_header_bytes; // a commit frame's header: its page is next
    else if (p->commit_at >= 0 && offset == p->commit_at)
        commit_end = true;
    if (!commit_end && p->bytes.size() < flush_past_bytes)
        return SQLITE_OK;
    if (commit_end)
        p->commit_at = -1; // (a flush for the size alone keeps waiting for the commit's page)
    int const rc = flush(g);
    if (rc == SQLITE_OK && commit_end)
        commit_flushes.fetch_add(1, std::memory_order_relaxed);
    if (rc != SQLITE_OK) {
        // This write fails, so SQLite abandons the frames: drop them, and take the end from the
        // file again before gathering more.
        p->bytes.clear();
        p->end = -1;
        p->commit_at = -1;
    }
    return rc;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    gather_file* g = as_gather(f);
    if (int const rc = flush(g); rc != SQLITE_OK)
        return rc;
    int const rc = methods_of(g)->xTruncate(g->real, size);
    // journal_size_limit cuts the file of a WAL that started over, past where its content ends:
    // that end holds, and later frames are appends again. After a failure it is taken from the
    // file before gathering more.
    if (g->pending != nullptr && g->pending->end >= 0)
        g->pending->end = rc == SQLITE_OK ? std::min<sqlite3_int64>(g->pending->end, size) : -1;
    return rc;
}

int x_sync(sqlite3_file* f, int flags) {
    gather_file* g = as_gather(f);
    if (int const rc = flush(g); rc != SQLITE_OK)
        return rc;
    return methods_of(g)->xSync(g->real, flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    gather_file* g = as_gather(f);
    if (int const rc = flush(g); rc != SQLITE_OK)
        return rc;
    int const rc = methods_of(g)->xFileSize(g->real, size);
    // Appends are gathered only where the WAL is known to end.
    if (rc == SQLITE_OK && g->pending != nullptr && g->pending->end < 0)
        g->pending->end = *size;
    return rc;
}

int x_lock(sqlite3_file* f, int level) {
    return methods_of(as_gather(f))->xLock(as_gather(f)->real, level);
}

int x_unlock(sqlite3_file* f, int level) {
    return methods_of(as_gather(f))->xUnlock(as_gather(f)->real, level);
}

int x_check_reserved_lock(sqlite3_file* f, int* out) {
    return methods_of(as_gather(f))->xCheckReservedLock(as_gather(f)->real, out);
}

int x_file_control(sqlite3_file* f, int op, void* arg) {
    gather_file* g = as_gather(f);
    if (int const rc = flush(g); rc != SQLITE_OK)
        return rc;
    return methods_of(g)->xFileControl(g->real, op, arg);
}

int x_sector_size(sqlite3_file* f) {
    return methods_of(as_gather(f))->xSectorSize(as_gather(f)->real);
}

int x_device_characteristics(sqlite3_file* f) {
    return methods_of(as_gather(f))->xDeviceCharacteristics(as_gather(f)->real);
}

int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return methods_of(as_gather(f))->xShmMap(as_gather(f)->real, region, size, extend, out);
}

int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return methods_of(as_gather(f))->xShmLock(as_gather(f)->real, offset, n, flags);
}

void x_shm_barrier(sqlite3_file* f) {
    gather_file* g = as_gather(f);
    // SQLite publishes a commit between two barriers: nothing may still be gathered then.
    if (g->wal != nullptr && flush(g->wal) != SQLITE_OK) {
        std::fputs(
            "icemu: store: the WAL's frames could not be written before their commit was "
            "published; stopping\n",
            stderr);
        std::abort();
    }
    methods_of(g)->xShmBarrier(g->real);
}

int x_shm_unmap(sqlite3_file* f, int delete_flag) {
    return methods_of(as_gather(f))->xShmUnmap(as_gather(f)->real, delete_flag);
}

int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    gather_file* g = as_gather(f);
    if (int const rc = flush(g); rc != SQLITE_OK)
        return rc;
    return methods_of(g)->xFetch(g->real, offset, amount, out);
}

int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    return methods_of(as_gather(f))->xUnfetch(as_gather(f)->real, offset, page);
}

sqlite3_io_methods make_methods(int version) {
    sqlite3_io_methods m{};
    m.iVersion = version;
    m.xClose = x_close;
    m.xRead = x_read;
    m.xWrite = x_write;
    m.xTruncate = x_truncate;
    m.xSync = x_sync;
    m.xFileSize = x_file_size;
    m.xLock = x_lock;
    m.xUnlock = x_unlock;
    m.xCheckReservedLock = x_check_reserved_lock;
    m.xFileControl = x_file_control;
    m.xSectorSize = x_sector_size;
    m.xDeviceCharacteristics = x_device_characteristics;
    if (version >= 2) {
        m.xShmMap = x_shm_map;
        m.xShmLock = x_shm_lock;
        m.xShmBarrier = x_shm_barrier;
        m.xShmUnmap = x_shm_unmap;
    }
    if (version >= 3) {
        m.xFetch = x_fetch;
        m.xUnfetch = x_unfetch;
    }
    return m;
}

// One table per version of the real file's methods, so that SQLite never calls a method the
// real file lacks.
sqlite3_io_methods const methods[3] = {make_methods(1), make_methods(2), make_methods(3)};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    gather_file* g = as_gather(file);
    g->base.pMethods = nullptr;
    g->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset());
    g->flags = flags;
    g->pending = nullptr;
    g->wal = nullptr;
    g->owner = nullptr;
    int const rc = real_vfs->xOpen(real_vfs, name, g->real, flags, out_flags);
    if (g->real->pMethods != nullptr) {
        int const version = g->real->pMethods->iVersion;
        g->base.pMethods = &methods[version >= 3 ? 2 : version <= 1 ? 0 : 1];
    }
    return rc;
}

// The rest of the VFS is the real one's, called with the real one.
int x_delete(sqlite3_vfs*, char const* name, int sync_dir) {
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}
int x_access(sqlite3_vfs*, char const* name, int flags, int* out) {
    return real_vfs->xAccess(real_vfs, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, char const* name, int size, char* out) {
    return real_vfs->xFullPathname(real_vfs, name, size, out);
}
void* x_dl_open(sqlite3_vfs*, char const* name) {
    return real_vfs->xDlOpen(real_vfs, name);
}
void x_dl_error(sqlite3_vfs*, int size, char* out) {
    real_vfs->xDlError(real_vfs, size, out);
}
void (*x_dl_sym(sqlite3_vfs*, void* handle, char const* symbol))(void) {
    return real_vfs->xDlSym(real_vfs, handle, symbol);
}
void x_dl_close(sqlite3_vfs*, void* handle) {
    real_vfs->xDlClose(real_vfs, handle);
}
int x_randomness(sqlite3_vfs*, int size, char* out) {
    return real_vfs->xRandomness(real_vfs, size, out);
}
int x_sleep(sqlite3_vfs*, int micros) {
    return real_vfs->xSleep(real_vfs, micros);
}
int x_current_time(sqlite3_vfs*, double* out) {
    return real_vfs->xCurrentTime(real_vfs, out);
}
int x_get_last_error(sqlite3_vfs*, int size, char* out) {
    return real_vfs->xGetLastError(real_vfs, size, out);
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

void register_vfs() {
    real_vfs = sqlite3_vfs_find(nullptr);
    vfs.iVersion = 2; // no system-call overrides
    vfs.szOsFile = static_cast<int>(real_offset()) + real_vfs->szOsFile;
    vfs.mxPathname = real_vfs->mxPathname;
    vfs.zName = "icemu-gather";
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xDlOpen = x_dl_open;
    vfs.xDlError = x_dl_error;
    vfs.xDlSym = x_dl_sym;
    vfs.xDlClose = x_dl_close;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_get_last_error;
    vfs.xCurrentTimeInt64 = x_current_time_int64;
    sqlite3_vfs_register(&vfs, 0);
}

} // namespace

char const* gathering_vfs() {
    static std::once_flag once;
    std::call_once(once, register_vfs);
    return vfs.zName;
}

bool gather_wal_writes(sqlite3* db) noexcept {
    sqlite3_file* main = nullptr;
    sqlite3_file* journal = nullptr;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &main) != SQLITE_OK ||
        sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) != SQLITE_OK ||
        main == nullptr || journal == nullptr || !sqlite3_get_autocommit(db))
        return false;
    auto const ours = [](sqlite3_file* f) {
        return f->pMethods >= &methods[0] && f->pMethods <= &methods[2];
    };
    if (!ours(main) || !ours(journal) || (as_gather(journal)->flags & SQLITE_OPEN_WAL) == 0)
        return false;
    gather_file* g = as_gather(journal);
    if (g->pending != nullptr)
        return true;
    sqlite3_int64 size = 0;
    if (methods_of(g)->xFileSize(g->real, &size) != SQLITE_OK)
        return false;
    try {
        g->pending = new gathered;
    } catch (...) {
        return false;
    }
    // Appends start at the file's end, or at the WAL's own header when it starts over.
    g->pending->end = size;
    as_gather(main)->wal = g;
    g->owner = as_gather(main);
    return true;
}

wal_gather_counts wal_gather_stats() noexcept {
    return {flushes.load(std::memory_order_relaxed),
            gathered_writes.load(std::memory_order_relaxed),
            commit_flushes.load(std::memory_order_relaxed),
            in_place_writes.load(std::memory_order_relaxed)};
}

} // namespace icemu::store
