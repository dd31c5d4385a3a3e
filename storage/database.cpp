#include "storage/database.hpp"

#include "storage/statement.hpp"

#include "storage/migrations.hpp"

#include <sqlite3.h>

#include <exception>

namespace civicpub::storage {

Result<std::unique_ptr<Database>> Database::open(DatabaseOptions options) {
  auto report = [&](std::string_view what, const std::string& detail) {
    if (options.log) options.log(std::string(what) + " (" + options.path + "): " + detail);
  };
  auto writer = Connection::open(options.path, {.read_only = false,
                                                .busy_timeout = options.busy_timeout});
  if (!writer) {
    report("storage: cannot open database", writer.error().message());
    return writer.error();
  }
  if (auto version = migrate(*writer); !version) {
    report("storage: migration refused or failed",
           version.error().message() + ": " + writer->last_error_message());
    return version.error();
  }
  std::vector<std::unique_ptr<Connection>> readers;
  if (options.path != ":memory:") {
    for (std::size_t i = 0; i < std::max<std::size_t>(options.read_pool_size, 1); ++i) {
      auto reader = Connection::open(options.path, {.read_only = true,
                                                    .busy_timeout = options.busy_timeout});
      if (!reader) {
        report("storage: cannot open read connection", reader.error().message());
        return reader.error();
      }
      readers.push_back(std::make_unique<Connection>(std::move(*reader)));
    }
  }
  std::unique_ptr<Connection> checkpoint_conn;
  if (options.path != ":memory:") {
    auto conn =
        Connection::open(options.path, {.read_only = false, .busy_timeout = options.busy_timeout});
    if (!conn) {
      report("storage: cannot open checkpoint connection", conn.error().message());
      return conn.error();
    }
    if (auto r = conn->exec("PRAGMA query_only = ON"); !r) return r.error();
    checkpoint_conn = std::make_unique<Connection>(std::move(*conn));
  }
  std::unique_ptr<Database> db(new Database(std::move(options), std::move(*writer)));
  db->readers_ = std::move(readers);
  for (auto& r : db->readers_) db->idle_.push_back(r.get());
  if (checkpoint_conn) {
    db->checkpoint_conn_ = std::move(checkpoint_conn);
    // Replaces SQLite's automatic checkpoint on the writer's connection.
    sqlite3_wal_hook(db->writer_conn_.handle(), &Database::on_wal_commit, db.get());
    db->checkpointer_ = std::thread([raw = db.get()] { raw->checkpoint_loop(); });
  }
  db->writer_ = std::thread([raw = db.get()] { raw->writer_loop(); });
  db->writer_id_ = db->writer_.get_id();
  return db;
}

Database::Database(DatabaseOptions options, Connection writer)
    : options_(std::move(options)),
      writer_conn_(std::move(writer)),
      memory_(writer_conn_.is_memory()) {}

Database::~Database() { close(); }

void Database::close() {
  std::call_once(close_once_, [this] {
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    stop_checkpointer();
    closed_.store(true);
    // Wait for lent read connections before closing them: a reader mid-query keeps its own.
    std::unique_lock lock(pool_mutex_);
    pool_closed_ = true;
    pool_cv_.wait(lock, [this] { return idle_.size() == readers_.size(); });
    idle_.clear();
    readers_.clear();
  });
}

bool Database::on_writer_thread() const noexcept {
  return std::this_thread::get_id() == writer_id_;
}

std::uint64_t Database::transactions_committed() const noexcept { return committed_.load(); }

std::uint64_t Database::checkpoints_completed() const noexcept {
  return checkpoints_.load();
}

int Database::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* db = static_cast<Database*>(self);
  const bool full = pages >= 0 && static_cast<std::size_t>(pages) >= db->options_.checkpoint_pages;
  // The first commit since a checkpoint starts the checkpointer's clock; later ones cost only
  // this exchange.
  const bool first = !db->wal_unsynced_.exchange(true);
  if (full || first) {
    {
      std::lock_guard lock(db->checkpoint_mutex_);
      if (full) db->checkpoint_wanted_ = true;
    }
    db->checkpoint_cv_.notify_one();
  }
  return SQLITE_OK;
}

void Database::checkpoint_loop() {
  std::unique_lock lock(checkpoint_mutex_);
  const auto due = [this] { return checkpoint_stopping_ || checkpoint_wanted_; };
  for (;;) {
    if (wal_unsynced_.load()) {
      // Past the interval without a full WAL: checkpoint all the same (a timeout).
      checkpoint_cv_.wait_for(lock, options_.checkpoint_interval, due);
    } else {
      checkpoint_cv_.wait(lock, [&] { return due() || wal_unsynced_.load(); });
      if (!due()) continue;  // a first commit: wait out the interval from now
    }
    if (checkpoint_stopping_) return;
    checkpoint_wanted_ = false;
    // Cleared before the checkpoint starts: a commit during it starts the clock again.
    wal_unsynced_.store(false);
    lock.unlock();
    int wal_pages = 0;
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(checkpoint_conn_->handle(), nullptr,
                                             SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
    if (rc == SQLITE_OK) {
      checkpoints_.fetch_add(1);
      // A reader still using older frames kept some from being copied: try again later.
      if (copied < wal_pages) wal_unsynced_.store(true);
    } else {
      wal_unsynced_.store(true);
      if (rc != SQLITE_BUSY) {  // busy: another process checkpoints right now
        log("storage: checkpoint failed: " + checkpoint_conn_->last_error_message());
      }
    }
    lock.lock();
  }
}

void Database::stop_checkpointer() {
  if (!checkpointer_.joinable()) return;
  // The writer has stopped: no commit runs the hook any more, and none may after this.
  sqlite3_wal_hook(writer_conn_.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(checkpoint_mutex_);
    checkpoint_stopping_ = true;
  }
  checkpoint_cv_.notify_one();
  checkpointer_.join();
  checkpoint_conn_.reset();
}

void Database::log(std::string_view what) const {
  if (options_.log) options_.log(what);
}

void Database::enqueue(std::unique_ptr<Job> job) {
  {
    std::lock_guard lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      queue_cv_.notify_one();
      return;
    }
  }
  job->fail(make_error_code(Errc::closed));
  job->complete();
}

Database::Lease::~Lease() {
  if (db != nullptr && !memory_lock.owns_lock()) db->release_reader(conn);
}

Result<Database::Lease> Database::acquire_reader() {
  if (memory_) {
    if (on_writer_thread()) return make_error_code(Errc::misuse);
    std::unique_lock lock(memory_mutex_);
    if (closed_.load()) return make_error_code(Errc::closed);
    return Lease(this, &writer_conn_, std::move(lock));
  }
  std::unique_lock lock(pool_mutex_);
  pool_cv_.wait(lock, [this] { return pool_closed_ || !idle_.empty(); });
  if (pool_closed_) return make_error_code(Errc::closed);
  Connection* conn = idle_.back();
  idle_.pop_back();
  return Lease(this, conn, {});
}

void Database::release_reader(Connection* conn) {
  {
    std::lock_guard lock(pool_mutex_);
    idle_.push_back(conn);
  }
  pool_cv_.notify_all();
}

Result<void> Database::begin_read(Connection& conn) {
  if (conn.in_transaction()) return make_error_code(Errc::misuse);  // a lent reader is never in one
  auto begin = Statement::prepare(conn, "BEGIN");
  if (!begin) return begin.error();
  return begin->run();
}

Database::ReadEnd::~ReadEnd() {
  if (!conn->in_transaction()) return;
  if (auto commit = Statement::prepare(*conn, "COMMIT"); commit && commit->run()) return;
  (void)conn->exec("ROLLBACK");
}

void Database::writer_loop() {
  for (;;) {
    std::vector<std::unique_ptr<Job>> batch;
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      const std::size_t n = std::min(queue_.size(), std::max<std::size_t>(options_.max_batch, 1));
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
    // Completions run after the commit and after the connection lock is released, so a `done`
    // may read (or queue another write).
    for (auto& job : batch) {
      try {
        job->complete();
      } catch (const std::exception& e) {
        log(std::string("storage: write completion threw: ") + e.what());
      } catch (...) {
        log("storage: write completion threw");
      }
    }
  }
}

void Database::run_job(Job& job) {
  if (auto sp = writer_conn_.exec("SAVEPOINT job"); !sp) {
    job.fail(sp.error());
    return;
  }
  bool ok = false;
  try {
    ok = job.run(writer_conn_);
  } catch (const std::exception& e) {
    log(std::string("storage: write job threw: ") + e.what());
    job.fail(make_error_code(Errc::internal));
  }
  if (ok) {
    if (auto rel = writer_conn_.exec("RELEASE job"); rel) return;
    else job.fail(rel.error());
  } else if (!writer_conn_.in_transaction()) {
    return;  // SQLite rolled the whole transaction back; run_batch notices
  }
  (void)writer_conn_.exec("ROLLBACK TO job");
  (void)writer_conn_.exec("RELEASE job");
}

void Database::run_batch(std::vector<std::unique_ptr<Job>>& batch) {
  std::unique_lock<std::mutex> memory_lock;
  if (memory_) memory_lock = std::unique_lock(memory_mutex_);

  std::size_t i = 0;
  while (i < batch.size()) {
    const std::size_t first = i;
    if (auto begin = writer_conn_.exec("BEGIN IMMEDIATE"); !begin) {
      log("storage: BEGIN IMMEDIATE failed: " + writer_conn_.last_error_message());
      for (; i < batch.size(); ++i) batch[i]->fail(begin.error());
      return;
    }
    bool lost = false;
    for (; i < batch.size() && !lost; ++i) {
      run_job(*batch[i]);
      lost = !writer_conn_.in_transaction();
    }
    if (lost) {
      // SQLite rolled back on its own (disk full, I/O error): nothing of this segment is
      // durable. The rest of the batch gets a fresh transaction.
      log("storage: transaction rolled back by SQLite: " + writer_conn_.last_error_message());
      for (std::size_t j = first; j < i; ++j) {
        if (batch[j]->succeeded()) batch[j]->fail(make_error_code(Errc::aborted));
      }
      continue;
    }
    if (auto commit = writer_conn_.exec("COMMIT"); !commit) {
      log("storage: COMMIT failed: " + writer_conn_.last_error_message());
      (void)writer_conn_.exec("ROLLBACK");
      for (std::size_t j = first; j < i; ++j) {
        if (batch[j]->succeeded()) batch[j]->fail(commit.error());
      }
    } else {
      committed_.fetch_add(1);
    }
  }
}

}  // namespace civicpub::storage
