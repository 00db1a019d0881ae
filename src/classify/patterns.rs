//! The built-in patterns for a tracker's failure message: families of *subject × verdict*
//! (`meaning.rs` says how they match), each with the tracker software it was drawn from.
//!
//! A family names what a message is about and what it says of it, not one wording: "torrent" ×
//! "not found / unknown / deleted / frozen / not reviewed", "client" × "banned / too old / not
//! allowed", "peer store" × "failed / error". Wordings of the same meaning that no one listed
//! match too. The first family that matches decides, and the order encodes the precedence the
//! classes need:
//!
//! 1. the tracker's own database, cluster, replica, setup, code or failed operation named
//!    outright ("mysql_connect: Too many connections", "Error connecting database: Too many
//!    connections", "Cluster connection lost", "Connection Failed. … Too many connections",
//!    "save passkeyuser failed", "… error (select)", "Peer ni bil ustvarjen"), asking too often
//!    said with "too many … requests", a torrent's parameters, unsupported kinds of request and
//!    requests that could not be parsed, required fields and unreachable client addresses;
//!    then malformed requests that use a refusal or
//!    credential word ("Port 6881 is blacklisted": the client's port, not the user; "Missing key:
//!    info_hash": a parameter the request lacks, but not a missing passkey, which is refused),
//!    UDP connection ids, compact and protocol demands,
//!    and chihaya's "resource does not exist" (a peer, not the torrent), which must not read as
//!    unregistered;
//! 2. refusals of the user's credentials, account, address, class or client: they win over the
//!    word "unregistered" (XBT's "unregistered torrent pass" is an unknown passkey,
//!    "unregistered IP address" a refused address: the torrents are fine);
//! 3. the torrent is not (or no longer, or not yet) on the tracker;
//! 4. other refusals and limits (slots, locations, ratio, credit, waiting time);
//! 5. announcing too often; 6. the tracker's own trouble; 7. a malformed announce (an announce
//!    URL called invalid without a request to re-download the torrent, the client's data bad);
//! 8. last, a message addressed to the user ("you", "your") that says they cannot, may not or
//!    have run out: a refusal, once nothing above read it as the torrent, the tracker, the rate
//!    or the request.
//!
//! Anything else is `tracker_failure`. The messages the families were drawn from, each with its
//! source, are the table test's fixtures (tests/fixtures/classes/tracker-messages.tsv and the
//! held-out heldout-messages.tsv and, each since its one blind scoring, heldout2-messages.tsv,
//! heldout3-messages.tsv, heldout4-messages.tsv and heldout5-messages.tsv); the sources named
//! below are the repositories of those rows.
//!
//! After heldout4's blind scoring the families were widened at the level of lexicons, not rows:
//! each subject (torrent, user and account, key, ratio and credit, client, address and proxy,
//! database and cluster, request and parameter, interval) and verdict got its common words in
//! English, Chinese (simplified and traditional), Russian, Spanish, French, German and
//! Portuguese. Entries marked "general vocabulary" were not taken from any row; the ones marked
//! "Widened after the one blind scoring of heldout4-messages.tsv" name the row they came from.
//!
//! After heldout5's blind scoring the lexicons were widened the same way, to Portuguese without
//! its accents (as Brazilian trackers often write it: "identificacao", "nao existe") and to
//! Slovenian and its Slavic neighbours (Croatian, Serbian, Polish, Czech, Slovak: "ne obstaja",
//! "ne postoji", "nie istnieje", "neexistuje"), and by meaning in English: a torrent "not
//! recognized", a request that "could not be parsed", the client's data bad or negative. The
//! announce URL refused is a credential only where the message says to re-download the torrent
//! (the user's key in the URL is what is wrong); a plain "invalid announce URL" is a malformed
//! announce (docs/metrics.md). A missing passkey is refused (access_denied) even when it is
//! named as a "missing key"; other missing parameters stay requests. Entries marked "Widened
//! after the one blind scoring of heldout5-messages.tsv" name the row they came from.

use super::meaning::{Family, Near};
use super::ErrorClass::{self, *};

const fn f(
    class: ErrorClass,
    name: &'static str,
    subjects: &'static [&'static str],
    verdicts: &'static [&'static str],
    near: Near,
) -> Family {
    Family {
        class,
        name,
        subjects,
        verdicts,
        near,
    }
}

/// A family decided by its verdicts alone.
const fn alone(class: ErrorClass, name: &'static str, verdicts: &'static [&'static str]) -> Family {
    f(class, name, &[], verdicts, Near::Alone)
}

/// What names the torrent: Ocelot/XBT/NexusPHP/UNIT3D "torrent", XBT-protocol trackers and
/// aquatic "info_hash", Russian TBDev "торрент"/"релиз"/"раздача", Chinese 种子/種子.
const TORRENT: &[&str] = &[
    " torrent",
    " release ",
    " releases ",
    "info hash",
    " infohash",
    " hash ",
    "торрент",
    "релиз",
    "реліз",
    "раздач",
];
const TORRENT_ZH: &[&str] = &["种子", "種子", "资源", "資源"];

/// Verdicts of an absent torrent: not found, does not exist (with its common misspellings),
/// unknown, in the languages covered.
const ABSENT: &[&str] = &[
    "could not be found",
    "cannot be found",
    "ekki á skrá",
    "ekki til",
    "not found",
    "not exist",
    "not exsist",
    "not exsit",
    "not exits",
    "not existing",
    "not existent",
    "not existant",
    "doesnt exist",
    "doesnt exsist",
    "does not exsist",
    "dont exist",
    "no longer exist",
    "non exist",
    "nonexist",
    "inexist",
    "unknown",
    "not known",
    "not on this tracker",
    "not on the tracker",
    "not on tracker",
    "not on a tracker",
    "not on our tracker",
    "not in this tracker",
    "not in the tracker",
    "not in a tracker",
    "not in our tracker",
    "not in tracker",
    "not tracked",
    "not in the database",
    "not in database",
    "not in our database",
    "introuvable",
    "inconnu",
    "non trouv",
    "pas trouv",
    "nexiste pas",
    "hittades inte",
    "finns inte",
    "nicht gefunden",
    "existiert nicht",
    "unbekannt",
    "não encontrado",
    "nao encontrado",
    "não existe",
    "nao existe",
    "nem található",
    "не найден",
    "не существует",
    "неизвест",
    "не знайден",
    "не існує",
    // General vocabulary (es, fr, de, pt, it, ru), not taken from any row.
    "no encontrad",
    "no se encontr",
    "no se encuentra",
    "no existe",
    "desconocid",
    "nest pas connu",
    "nicht vorhanden",
    "nicht mehr vorhanden",
    "nicht bekannt",
    "não encontrad",
    "nao encontrad",
    "desconhecid",
    "non trovat",
    "non esiste",
    "sconosciut",
    "нет такого",
    "отсутствует на трекере",
    // Widened after the one blind scoring of heldout4-messages.tsv: a Spanish Express + Prisma
    // tracker (code search) "Torrent no encontrado" (the stem above, "no encontrad").
    // Widened after the one blind scoring of heldout5-messages.tsv: Uplink, a Ruby Sinatra
    // tracker (code search) "The requested torrent was not recognized.", "Torrent not
    // recognized."; the other languages' "not recognised" are general vocabulary (pt, es, fr, de,
    // ru, sl, hr, pl, cs).
    "not recognized",
    "not recognised",
    "unrecognized",
    "unrecognised",
    "não reconhecid",
    "nao reconhecid",
    "não é reconhecid",
    "nao e reconhecid",
    "no reconocid",
    "non reconnu",
    "nicht erkannt",
    "не распознан",
    "ni prepoznan",
    "nije prepoznat",
    "nie rozpoznan",
    "nerozpoznán",
    // Widened after the one blind scoring of heldout5-messages.tsv: Laguna
    // (SloveniaEngineering/laguna-backend crates/laguna-backend-api/src/error/peer.rs) "Torrent z
    // info_hash … ne obstaja na strežniku." (the hash reads as `#`: meaning.rs).
    "ne obstaja",
    // General vocabulary (sl, hr, sr, bs, pl, cs, sk, bg), not taken from any row: does not
    // exist, not found.
    "ni najden",
    "ni bil najden",
    "ne postoji",
    "nije pronađen",
    "nije pronaden",
    "nije nađen",
    "не постоји",
    "није пронађен",
    "nie istnieje",
    "nie znaleziono",
    "nie został znaleziony",
    "neexistuje",
    "nebyl nalezen",
    "nenalezen",
    "nenájden",
    "не съществува",
];

/// Verdicts of a torrent taken off, held back or not yet admitted: deleted, banned, frozen,
/// pending, not reviewed, not approved…
const WITHDRAWN: &[&str] = &[
    "flagged",
    "temporarily disabled",
    "unauthori",
    "deleted",
    "removed",
    "banned",
    "nuked",
    "trumped",
    "rejected",
    "postponed",
    "pending",
    "moderat",
    "unapproved",
    "not approved",
    "not yet",
    "awaiting",
    "not allowed",
    "suspended",
    "not available",
    "no longer available",
    "inactive",
    "archived",
    "merged",
    "expired",
    "not authori",
    "disallowed",
    "blacklisted",
    " dead",
    "frozen",
    "freezed",
    "hidden",
    "unreviewed",
    "not reviewed",
    "under review",
    "in review",
    "being reviewed",
    "not checked",
    "unchecked",
    "not been ",
    "not verified",
    "unverified",
    "purged",
    "replaced",
    "withdrawn",
    "taken down",
    "delisted",
    "gelöscht",
    "gesperrt",
    "supprimé",
    "removido",
    "excluído",
    "excluido",
    "забанен",
    "удал",
    "закрыт",
    "приостановл",
    "непровер",
    "не провер",
    "модерац",
    "модератор",
    "поглощ",
    "отклон",
    "заморож",
    "не одобрен",
    "на проверке",
    "видален",
    "заблоков",
    // Widened after the one blind scoring of heldout4-messages.tsv: a Rust (axum) private tracker
    // (code search) "Torrent is not active".
    "not active",
    "no longer active",
    // General vocabulary (en, es, fr, de, pt, ru), not taken from any row: unpublished, deleted,
    // withdrawn, rejected, pending, banned (disabled, blocked and locked are said of the torrent
    // itself only: "torrent × disabled" below).
    "not published",
    "unpublished",
    "not visible",
    "eliminad",
    "borrad",
    "retirad",
    "rechazad",
    "pendiente",
    "no aprobad",
    "en attente",
    "non approuvé",
    "entfernt",
    "abgelehnt",
    "nicht freigegeben",
    "rejeitad",
    "pendente",
    "banid",
    "неактив",
    "не актив",
    "скрыт",
    // General vocabulary (pt without accents, sl, hr, pl, cs), not taken from any row: deleted,
    // removed, inactive, not approved, pending (blocked is said of the torrent itself only:
    // "torrent × disabled" below).
    "excluid",
    "inativ",
    "izbrisan",
    "odstranjen",
    "obrisan",
    "uklonjen",
    "usunięt",
    "smazán",
    "odstraněn",
    "neaktiv",
    "ni odobren",
    "nije odobren",
    "nie zatwierdzon",
    "niezatwierdzon",
    "neschválen",
    "čaka na odobritev",
];

/// What names the announce URL (the one a private tracker gives each user carries the user's
/// key): en and zh.
const ANNOUNCE_URL: &[&str] = &[
    " announce url",
    " announce link",
    " announce address",
    " tracker url",
    " tracker link",
    " tracker address",
    "tracker地址",
    "tracker链接",
    "tracker鏈接",
    "的tracker",
    "汇报地址",
    "彙報地址",
];

/// Refusal verdicts said of a client or its version.
const CLIENT_REFUSED: &[&str] = &[
    "not an accept",
    "acceptalbe",
    "cannot use",
    "can not use",
    "cant use",
    "not allow",
    "does not allow",
    "не допуск",
    "обнов",
    "запрещ",
    " banned",
    " ban ",
    " blocked",
    "blacklist",
    "black list",
    "whitelist",
    "white list",
    "not allowed",
    "not acceptable",
    "not accepted",
    "not approved",
    "not permitted",
    "not registered",
    "not supported",
    "no longer supported",
    "unsupported",
    "too old",
    "outdated",
    "obsolete",
    "deprecated",
    "forbidden",
    "prohibited",
    "denied",
    "disabled",
    "rejected",
    " limit",
    "upgrade",
    "update",
    "allowed list",
    "allowlist",
    "allow list",
    "denylist",
    "deny list",
    "blocklist",
    "block list",
    " banni",
    "non autoris",
    "pas autoris",
    "interdit",
    "refusé",
    "inte tillåt",
    "ej tillåt",
    "förbjud",
    "spärrad",
    "bannad",
    "blockerad",
    // Widened after the one blind scoring of heldout4-messages.tsv: a Rust (axum) private tracker
    // (code search) "Suspicious client detected".
    "suspicious",
    // General vocabulary (en, es, fr, de, pt, ru), not taken from any row: suspect, cheating,
    // not allowed, not supported, blocked, outdated.
    "suspect",
    "cheat",
    "untrusted",
    "not whitelisted",
    "no permitid",
    "no está permitid",
    "no soportad",
    "no admitid",
    "no autorizad",
    "prohibid",
    "bloquead",
    "baneado",
    "obsolet",
    "sospechos",
    "non supporté",
    "suspicieux",
    "nicht erlaubt",
    "nicht zugelassen",
    "nicht unterstützt",
    "verboten",
    "veraltet",
    "gesperrt",
    "verdächtig",
    "não permitid",
    "não suportad",
    "proibid",
    "desatualizad",
    "suspeit",
    "подозр",
    "устарел",
    "заблокир",
    // General vocabulary (en, pt, es, fr, de), not taken from any row: a client not recognised
    // is refused, before "torrent × absent" reads "Your torrent client is not recognized" as the
    // torrent.
    "not recognized",
    "not recognised",
    "unrecognized",
    "unrecognised",
    "não reconhecid",
    "nao reconhecid",
    "não é reconhecid",
    "nao e reconhecid",
    "no reconocid",
    "non reconnu",
    "nicht erkannt",
    // General vocabulary (sl, hr, pl, cs), not taken from any row: not allowed, blocked,
    // outdated.
    "ni dovoljen",
    "nije dozvoljen",
    "nie jest dozwolon",
    "niedozwolon",
    "není povolen",
    "nepovolen",
    "blokiran",
    "zablokowan",
    "zablokován",
    "zastarel",
];

pub(super) const FAMILIES: &[Family] = &[
    // --- 1. malformed requests that use a refusal word --------------------------------------
    // The tracker's own storage and code, named outright, before any word of refusal the same
    // message carries ("mysql_connect: Too many connections" is the database's limit, not the
    // user's; "save passkeyuser failed" a failed write, not a refused passkey). xbtit
    // (bug-me-not/XBTIT-Blu-Edition-by-BluCrew announce.php) "Tracker error - mysql_connect: Too many
    // connections", "Tracker bug calling summaryAdd"; TorrentTrader (MicrosoulV3/TorrentTrader-v3)
    // "dbconn: mysqli_connect: …"; xbtitFM (stivi05/XbtitFM-3.1) "Table '…' doesn't exist"; tjupt
    // (sicalpath/tjupt) "请向程序员汇报这个信息" (report this to the programmers).
    alone(
        TrackerUnavailable,
        "tracker's database or code named",
        &[
            " mysql",
            "mysqli",
            "dbconn",
            " sqlite",
            "sqlstate",
            " mariadb",
            " table ",
            "tracker bug",
            "程序员",
            "程序員",
            "错误编号",
            "錯誤編號",
        ],
    ),
    // The tracker's database that cannot be reached or is full, said without naming MySQL:
    // before "connections × too many", which is the user's limit, and before any refusal.
    // Widened after the one blind scoring of heldout3-messages.tsv: ppkBB3cker (a phpBB tracker
    // mod by PPK, tracker/announce2.php) "Error connecting database: Too many connections
    // [1040]", "Error selecting database: Unknown database '…'".
    // General vocabulary (de, es, fr, pt, ru, zh; en: lost, timed out, down), not taken from
    // any row: the database and its kin in other languages, and more ways to say it cannot be
    // reached. A bare "error" or "failed" near the database is left to "tracker down" below, so
    // that "passkey not found in the database" stays a refusal.
    f(
        TrackerUnavailable,
        "database × unreachable or full",
        &[
            "database",
            " db ",
            " redis",
            "postgres",
            " mongo",
            "memcache",
            "datenbank",
            "base de datos",
            "base de données",
            "banco de dados",
            "база данн",
            "базы данн",
            "базе данн",
            "数据库",
            "數據庫",
            "資料庫",
        ],
        &[
            "too many connections",
            "max connections",
            "connect",
            "gone away",
            "unknown database",
            "selecting",
            "unreachable",
            "not reachable",
            " lost",
            "timeout",
            "timed out",
            " down",
            "not responding",
            "unavailable",
            "nicht erreichbar",
            "indisponible",
            "no disponible",
            "indisponível",
            "conexi",
            "conexão",
            "недоступ",
            "соединени",
            "подключ",
            "连接",
            "連接",
            "连不上",
            "超时",
            "超時",
            "繁忙",
        ],
        Near::Either(30),
    ),
    // The tracker's own cluster, replicas or upstream: a link between the tracker's servers
    // lost, timed out or failing is the tracker's trouble, whatever the message says next.
    // Widened after the one blind scoring of heldout4-messages.tsv: torrust-actix
    // (Power2All/torrust-actix src/websocket/websocket.rs) "Cluster connection lost", "Cluster
    // timeout", "Cluster encoding error"; the other subjects (master, slave, replica, upstream,
    // shard, node; ru кластер; zh 集群, 主库, 从库) and verdicts are general vocabulary.
    f(
        TrackerUnavailable,
        "cluster, replica or upstream × lost or failed",
        &[
            " cluster",
            " master",
            " slave",
            " replica",
            " upstream",
            " shard",
            " node",
            "кластер",
            "集群",
            "叢集",
            "主库",
            "从库",
            "主從",
            "主从",
        ],
        &[
            " lost",
            " timeout",
            " timed out",
            " unreachable",
            " not reachable",
            " not responding",
            " disconnected",
            " down",
            " offline",
            " unavailable",
            " error",
            " failed",
            " failure",
            " connection",
            "потер",
            "ошибк",
            "недоступ",
            "失败",
            "失敗",
            "错误",
            "錯誤",
            "超时",
            "超時",
            "断开",
            "斷開",
            "异常",
            "異常",
            "延迟",
        ],
        Near::Either(20),
    ),
    // The tracker's data not yet copied to where the announce reads it (a replica behind its
    // master): wait.
    // Widened after the one blind scoring of heldout4-messages.tsv: a Chinese PT site's tracker
    // on its own "cg" PHP framework (code search) "种子发布成功，数据还未同步完成，请稍后更新Tracker。";
    // the English and Russian wordings are general vocabulary.
    f(
        TrackerUnavailable,
        "data × not yet synchronised",
        &["同步", " sync", " synchron", " replica", "синхрониз"],
        &[
            "还未",
            "還未",
            "尚未",
            "未完成",
            "未",
            "失败",
            "失敗",
            "延迟",
            "延遲",
            "同步中",
            "not yet",
            "not complete",
            "incomplete",
            "pending",
            "in progress",
            " lag",
            "не заверш",
        ],
        Near::Either(4),
    ),
    // A tracker whose own connection failed (to its database: it answers, so the connection that
    // failed is behind it), or that is not set up: MySQL's "Too many connections" after it, or
    // the tracker's configuration named.
    // Widened after the one blind scoring of heldout4-messages.tsv: Phoenix
    // (eustasy/Phoenix src/phoenix.php) "Connection Failed. Tracker may be mis-configured. Too
    // many connections", "Connection Failed. Tracker is not configured.".
    f(
        TrackerUnavailable,
        "connection failed × tracker's setup or limit",
        &[
            "connection failed",
            "connection error",
            "connect failed",
            "failed to connect",
            "could not connect",
            "unable to connect",
            "cannot connect",
        ],
        &[
            "too many connections",
            "not configured",
            "misconfigured",
            "mis configured",
            "configuration",
            "gone away",
        ],
        Near::Either(60),
    ),
    // General vocabulary (en, es, fr, de, pt, zh), not taken from any row: the tracker itself not
    // set up or set up wrong.
    f(
        TrackerUnavailable,
        "tracker × not configured",
        &[
            " tracker",
            " server",
            " service",
            " backend",
            "tracker",
            "服务器",
            "伺服器",
        ],
        &[
            "not configured",
            "misconfigured",
            "mis configured",
            "not set up",
            "configuration error",
            "config error",
            "no configurado",
            "mal configurado",
            "non configuré",
            "mal configuré",
            "nicht konfiguriert",
            "falsch konfiguriert",
            "não configurado",
            "未配置",
            "配置错误",
            "配置錯誤",
        ],
        Near::After(30),
    ),
    // The torrent's parameters are the request's, not the torrent: "Invalid torrent parameters"
    // is a malformed announce (the "invalid torrent" family below read it as the torrent).
    // Widened after the one blind scoring of heldout4-messages.tsv: an invite-only Go tracker with
    // Spanish admin texts (code search) "Invalid torrent parameters"; the other words (params,
    // arguments, fields; zh 参数, ru параметр, es parámetro, fr paramètre, pt parâmetro) are
    // general vocabulary.
    f(
        BadRequest,
        "torrent × parameters",
        &[" torrent", "种子", "種子", "торрент"],
        &[
            " param",
            " argument",
            " field",
            "参数",
            "參數",
            "параметр",
            " parámetro",
            " parametro",
            " paramètre",
            " parâmetro",
        ],
        Near::After(3),
    ),
    // A kind of request the tracker does not serve ("unsupported request from client"): the
    // request, before the word "client" reads as a refused client.
    // Widened after the one blind scoring of heldout4-messages.tsv: a C tracker by Kross Windz
    // (code search) "Bad request, unsupported request from client."; the other words are general
    // vocabulary.
    f(
        BadRequest,
        "unsupported × request",
        &[" request", " action", " method", " endpoint", " path "],
        &[
            " unsupported",
            " not supported",
            " unknown",
            " unrecognized",
            " unrecognised",
        ],
        Near::Before(1),
    ),
    // A request the tracker could not parse: the request, before "could not" near a query reads
    // as the tracker's failed query.
    // Widened after the one blind scoring of heldout5-messages.tsv: mika
    // (leighmacdonald/mika tracker/response.go of its 1.x tree) "Could not parse request"; the
    // other subjects and verdicts (unparsable, parse error, malformed; zh 解析失败) are general
    // vocabulary (en, zh).
    f(
        BadRequest,
        "request × not parsed",
        &[
            " request",
            " query",
            " querystring",
            " announce",
            " params",
            " parameters",
            " url ",
            "请求",
            "請求",
        ],
        &[
            "could not parse",
            "couldnt parse",
            "cannot parse",
            "can not parse",
            "cant parse",
            "unable to parse",
            "failed to parse",
            "failed parsing",
            "error parsing",
            "parse error",
            "parsing error",
            "parsing failed",
            "parse failed",
            "not be parsed",
            "unparsable",
            "unparseable",
            "malformed",
            "解析失败",
            "解析失敗",
            "无法解析",
            "無法解析",
            "解析错误",
            "解析錯誤",
        ],
        Near::Either(12),
    ),
    // A missing or malformed request parameter named as a "key": the parameter, not a passkey
    // refused ("Invalid key! Please re-download" is a per-user key and stays a refusal). A
    // passkey the request lacks is not one of these: docs/metrics.md lists a missing passkey
    // under access_denied (the user's torrent file lacks the key), so "Missing key: passkey"
    // falls through to the credential family; a passkey sent but malformed ("invalid key:
    // passkey") stays a refusal of the credential too.
    // Widened after the one blind scoring of heldout3-messages.tsv: rartracker
    // (swetorrentking/rartracker tracker.php) "Invalid key: uploaded.". Narrowed after the one
    // blind scoring of heldout5-messages.tsv: QY-PT tracker (QingyingPT/QY-PT-tracker
    // announce.php) "Missing key: passkey", which this family read as bad_request, is now
    // access_denied (heldout3-messages.tsv's header).
    f(
        BadRequest,
        "missing key × parameter",
        &[
            "missing key",
            "missing parameter",
            "missing argument",
            "missing field",
            "missing query parameter",
        ],
        &[
            " info hash",
            " infohash",
            " hash ",
            " peer id",
            " peerid",
            " port ",
            " uploaded ",
            " downloaded ",
            " left ",
            " event ",
            " numwant ",
            " compact ",
            " ip ",
            " key ",
        ],
        Near::After(3),
    ),
    // Several parameters missing, listed (or the request's parameters dumped) after the word: the
    // request, even when a passkey is among them; a passkey missing alone is refused (above).
    // Widened after the one blind scoring of heldout5-messages.tsv: Uplink, a Ruby Sinatra
    // tracker (code search) "Missing parameters! ({"passkey"=>…, "info_hash"=>…, "peer_id"=>…})",
    // read by "missing key × parameter" before the passkey left it.
    f(
        BadRequest,
        "missing parameters × request fields",
        &[
            "missing parameters",
            "missing arguments",
            "missing fields",
            "missing keys",
            "missing query parameters",
        ],
        &[
            " info hash",
            " infohash",
            " peer id",
            " peerid",
            " port ",
            " uploaded ",
            " downloaded ",
            " left ",
            " event ",
            " numwant ",
            " compact ",
        ],
        Near::After(40),
    ),
    f(
        BadRequest,
        "invalid key × parameter",
        &[
            "invalid key",
            "bad key",
            "invalid parameter",
            "invalid argument",
            "invalid field",
            "invalid value for",
        ],
        &[
            " info hash",
            " infohash",
            " hash ",
            " peer id",
            " peerid",
            " port ",
            " uploaded ",
            " downloaded ",
            " left ",
            " event ",
            " numwant ",
            " compact ",
            " ip ",
        ],
        Near::After(3),
    ),
    // An operation of the tracker's own that failed: meanTorrent (taobataoma/meanTorrent
    // announces.server.controller.js) "save passkeyuser failed", "get H&R completeTorrent
    // failed"; TorrentTrader "Cannot Get User Details"; xbtit "Trouble requesting peers from
    // tracker."; peertracker (JonnyJD/peertracker) "failed to select compact peers", "failed to add
    // new peer data"; a Go tracker (gogky/llmpt) "failed to get peers: …".
    f(
        TrackerUnavailable,
        "tracker's operation × failed",
        &[
            " get ",
            " save ",
            " create ",
            " add ",
            " select ",
            " fetch ",
            " load ",
            " requesting ",
            " retrieve ",
            " insert ",
            // Widened after the one blind scoring of heldout4-messages.tsv: Phoenix
            // (eustasy/Phoenix src/model/peer.delete.php) "Failed to remove peer."; the other
            // operations are general vocabulary.
            " remove ",
            " delete ",
            " update ",
            " write ",
            " store ",
            " commit ",
            " persist ",
        ],
        &[" failed"],
        Near::After(24),
    ),
    // The same said first, at the start of the message or as "failed to": "Cannot Get User
    // Details", "failed to get peers". A refusal of the user says "you cannot get …" and stays a
    // refusal.
    f(
        TrackerUnavailable,
        "failed × tracker's operation",
        &[
            " get ",
            " save ",
            " create ",
            " add ",
            " select ",
            " fetch ",
            " load ",
            " requesting ",
            " retrieve ",
            " insert ",
            // Widened after the one blind scoring of heldout4-messages.tsv: Phoenix
            // (eustasy/Phoenix src/model/peer.delete.php) "Failed to remove peer."; the other
            // operations are general vocabulary.
            " remove ",
            " delete ",
            " update ",
            " write ",
            " store ",
            " commit ",
            " persist ",
        ],
        &[
            "failed to",
            "^ cannot",
            "^ can not",
            "^ unable to",
            "^ could not",
            "^ trouble",
        ],
        Near::Before(1),
    ),
    // The same in Slavic languages, said as "was not created / updated / saved / deleted": the
    // tracker's write that returned nothing, before a torrent "deleted" reads as withdrawn.
    // Widened after the one blind scoring of heldout5-messages.tsv: Laguna
    // (SloveniaEngineering/laguna-backend crates/laguna-backend-api/src/error/peer.rs) "Peer ni
    // bil ustvarjen.", "Peer ni bil posodobljen."; the other operations and the Croatian,
    // Serbian, Polish and Czech forms are general vocabulary.
    f(
        TrackerUnavailable,
        "not created or updated (sl, hr, pl, cs)",
        &[
            "ni bil",
            "niso bil",
            " nije",
            " nisu",
            "nie zosta",
            " nebyl",
        ],
        &[
            // sl
            " ustvarjen",
            " posodobljen",
            " shranjen",
            " vstavljen",
            " zapisan",
            " izbrisan",
            " odstranjen",
            // hr, sr, bs
            " kreiran",
            " stvoren",
            " ažuriran",
            " azuriran",
            " spremljen",
            " pohranjen",
            " upisan",
            " obrisan",
            // pl
            " utworzon",
            " zaktualizowan",
            " zapisan",
            " usunięt",
            // cs, sk
            " vytvořen",
            " aktualizován",
            " uložen",
            " smazán",
            " zapsán",
        ],
        Near::After(3),
    ),
    // "… error (select)": TBDev (yunasc/tbdev announce.php) "Torrents error 1 (select)"; TBDev.net
    // (nickmsk9/tbdev.net) "Ошибка peers (select)."; the query that failed is the tracker's.
    f(
        TrackerUnavailable,
        "error × query",
        &[" error", "ошибка"],
        &[" select ", " insert ", " update ", " delete ", " replace "],
        Near::After(20),
    ),
    // The client's port on a block list: NexusPHP (xiaomlove/nexusphp public/announce.php) "Port
    // 6881 is blacklisted."; a NexusPHP-compatible gate "port 在本站黑名单内"; Russian TBDev
    // "Порт 6881 в черном списке.".
    f(
        BadRequest,
        "port × blocked",
        &[" port ", " ports ", "порт", "端口"],
        &[
            "blacklist",
            "black list",
            "blocked",
            " banned",
            "not allowed",
            "forbidden",
            "черном списке",
            "чёрном списке",
            "黑名单",
            "黑名單",
        ],
        Near::Either(20),
    ),
    // The announce's own address: TorrentPier (torrentpier/torrentpier bt/announce.php) "Invalid
    // IP: …"; chihaya (chihaya/chihaya bittorrent/http/parser.go) "failed to parse peer IP
    // address"; UNIT3D-Announce "Invalid ip.".
    f(
        BadRequest,
        "announce address × malformed",
        &[" ip ", " ipv4 ", " ipv6 "],
        &[
            "invalid",
            "illegal",
            "malformed",
            " bad",
            " parse",
            " read",
            "determine",
            "unexpected character",
        ],
        Near::Before(6),
    ),
    // A peer id another account uses (a NexusPHP-compatible gate: "peer_id 与本站其他账号冲突").
    f(
        BadRequest,
        "peer id × conflict",
        &["peer id", "peerid"],
        &[
            "冲突",
            "衝突",
            "conflict",
            "duplicat",
            "collision",
            "already in use",
            "already used",
            "already taken",
        ],
        Near::Either(30),
    ),
    // UDP trackers (opentracker, aquatic greatest-ape/aquatic, torrust-tracker, chihaya udp):
    // "received packet with invalid connection id"; compact and protocol demands: Ocelot "Your
    // client does not support compact announces", opentracker "This server only delivers compact
    // results.", XBT (OlafvdSpek/xbt) "unsupported tracker protocol, please upgrade your client".
    alone(
        BadRequest,
        "connection id, compact, protocol",
        &[
            "connection id",
            "connectionid",
            " connid",
            " conn id",
            "transaction id",
            "protocol id",
            " compact",
            "tracker protocol",
            "unsupported protocol",
        ],
    ),
    // chihaya's peer store (chihaya/chihaya storage, ErrResourceDoesNotExist): a peer the
    // tracker does not hold, not the torrent: never `unregistered`.
    alone(
        TrackerFailure,
        "peer store: no such peer",
        &["resource does not exist", "resource doesnt exist"],
    ),
    // Asked too often, said with "too many" before the refusal words around it: PeerTube
    // (Chocobozzz/PeerTube server/core/controllers/tracker.ts) "Too many requests (12 of ip …";
    // litetracker (nickmsk9/litetracker) "Слишком много announce-запросов."
    f(
        RateLimited,
        "too many × requests",
        &["too many", "слишком много"],
        &[" requests", " announces", " scrapes", "запрос"],
        Near::After(12),
    ),
    // Malformed requests in other words: required fields (IYUU's tracker, ledccn/iyuu-nexusphp-tracker
    // TrackerValidate.php "下载器唯一ID必填"; TBDev.net, nickmsk9/tbdev.net "Отсутствуют обязательные
    // параметры announce (passkey/…)"), too many hashes (BiglyBT, BiglySoftware/BiglyBT
    // TRTrackerServerProcessor.java "Too many hashes for announce"), the client's address or port
    // that cannot be reached or resolved (Pu-239, darkalchemy/Pu-239 "does not appear to be open
    // and/or not properly forwarded"; BitTorrent-TrackerCGI "unable to connect back to you";
    // django-torrent-tracker "unable to resolve host name …"), and what "the server considers"
    // wrong (SimpleTracker, Simple-Tracker/SimpleTracker "服务器认为格式有误").
    alone(
        BadRequest,
        "required field, too many hashes, unreachable client",
        &[
            "必填",
            "too many hashes",
            "too many info hash",
            "forwarded",
            "portforward",
            "connect back",
            "connectable",
            "resolve host",
            "client not connected",
            "must provide",
            "must include",
            "must supply",
        ],
    ),
    // A required parameter or field (TBDev.net "Отсутствуют обязательные параметры announce").
    f(
        BadRequest,
        "required × parameter",
        &["обязательн", "required", "必须"],
        &["параметр", " parameter", " field", " key", "参数", "字段"],
        Near::After(12),
    ),
    f(
        BadRequest,
        "server considers × wrong (zh)",
        &["认为", "認為"],
        &[
            "有误",
            "有誤",
            "不合法",
            "过多",
            "過多",
            "错误",
            "錯誤",
            "无效",
        ],
        Near::After(20),
    ),
    f(
        BadRequest,
        "address × malformed (after)",
        &[" ip ", " ip address", "ip地址", "ip 地址"],
        &[
            "bad length",
            "invalid",
            "malformed",
            "unexpected",
            "cannot be resolved",
            "not be resolved",
            "不合法",
            "非法",
            "无效",
            "格式",
        ],
        Near::After(30),
    ),
    // Scrape switched off by the tracker's configuration: the request is fine, the feature is
    // off. BiglyBT "Full scrape disabled"; RidPT (Rhilip/RidPT TrackerException.php) "The Scrape
    // extension for this tracker is not enabled."; BitTornado (effigies/BitTornado track.py)
    // "specific scrape function is not available with this tracker."
    f(
        TrackerFailure,
        "scrape × switched off",
        &[" scrape", " scraping"],
        &[
            "disabled",
            "not enabled",
            "not available",
            "switched off",
            "turned off",
            // Widened after the one blind scoring of heldout4-messages.tsv: Phoenix
            // (eustasy/Phoenix public/scrape.php) "Tracker scraping is not allowed."; the others
            // are general vocabulary: a feature the tracker keeps off, not a refusal of the user.
            "not allowed",
            "not permitted",
            "does not allow",
            "doesnt allow",
            "forbidden",
            // General vocabulary (pt, es, fr, de), not taken from any row: switched off or not
            // allowed.
            "desativad",
            "deshabilitad",
            "desactivad",
            "désactivé",
            "deaktiviert",
            "não permitid",
            "nao permitid",
            "no permitid",
            "non autorisé",
            "nicht erlaubt",
        ],
        Near::Either(40),
    ),
    // --- 2. credentials, account, address, class, client: win over "unregistered" -----------
    // Passkeys and their kin: Ocelot (WhatCD/Ocelot worker.cpp) "Passkey not found"; UNIT3D
    // (HDInnovations/UNIT3D-Community-Edition) "Passkey does not esist!"; NexusPHP "Invalid
    // passkey!", "Require passkey or authkey"; XBT "unregistered torrent pass"; TorrentPier
    // "(passkey not found)"; qbit_manage (StuffAnThings/qbit_manage) "MISSING PASSKEY"; Russian
    // TBDev "Неверный пасскей"; Chinese 密钥 (and its common misspelling 秘钥); chihaya
    // (middleware/jwt) "missing jwt"; NexusPHP sites "Invalid credentials"; torrust-tracker
    // (torrust/torrust-tracker) "authentication key". Other names for the same announce key:
    // PID, announce key, RSS key, torrent key, token.
    alone(
        AccessDenied,
        "credential",
        &[
            "passkey",
            " pass key",
            " paskey",
            "torrent pass ",
            "torrentpass",
            " authkey",
            " auth key",
            " pid ",
            " pids ",
            "announce key",
            "announcekey",
            "torrent key",
            "personal key",
            "private key",
            "secret key",
            " rss key",
            " rsskey",
            "access key",
            " api key",
            " apikey",
            " token ",
            " uid ",
            "пасскей",
            "паскей",
            "пасс кей",
            "密钥",
            "密鑰",
            "秘钥",
            "秘鑰",
            " jwt ",
            "credential",
            "凭据",
            "凭证",
            "憑證",
            "supplied key",
            "authenticat",
            "аутентифик",
            "认证",
            "認證",
            // General vocabulary (zh), not taken from any row: the user's identification or
            // authorisation code.
            "识别码",
            "識別碼",
            "授权码",
            "授權碼",
            // Widened after the one blind scoring of heldout5-messages.tsv: Laguna
            // (SloveniaEngineering/laguna-backend crates/laguna-backend-api/src/error/peer.rs)
            // "Torrent download hash … ne obstaja." (the per-user download key of its announce
            // URL); the download key and token are general vocabulary (en).
            " download hash",
            " download key",
            " downloadkey",
            " download token",
        ],
    ),
    // The user's identification (the announce credential) named in Portuguese or Spanish, absent
    // or refused; only the user's ("Identificacao de Hash invalida" names the info hash, a
    // request parameter).
    // Widened after the one blind scoring of heldout5-messages.tsv: a Brazilian Portuguese
    // Laravel tracker (code search) "Sem identificacao de usuario", "Identificacao do usuario
    // invalida"; the accented forms, the identifier and the Spanish and Portuguese words for
    // user and member are general vocabulary (pt, es).
    f(
        AccessDenied,
        "user's identification (pt, es)",
        &[" identifica"],
        &[
            " usuario",
            " usuário",
            " utilizador",
            " user",
            " membro",
            " miembro",
            " conta",
            " cuenta",
        ],
        Near::After(10),
    ),
    // A key named in Latin letters inside a Chinese sentence ("错误的pid值": no space around
    // "pid"), with a Chinese verdict right beside it.
    // Widened after the one blind scoring of heldout4-messages.tsv: haya_pt, a PT plugin for
    // Xiuno BBS (code search) "错误的pid值，请重新下载。"; the other keys and verdicts are general
    // vocabulary (zh).
    f(
        AccessDenied,
        "key × wrong (zh)",
        &["pid", "uid", "passkey", "authkey", "key", "token"],
        &[
            "错误",
            "錯誤",
            "无效",
            "無效",
            "不存在",
            "不正确",
            "不正確",
            "不对",
            "不對",
            "非法",
            "不合法",
            "过期",
            "過期",
            "缺少",
            "丢失",
            "遗失",
            "未找到",
            "找不到",
        ],
        Near::Either(4),
    ),
    // torrust-tracker "The supplied key: …, is not valid"; NexusPHP-style "invalid key".
    // Widened after the one blind scoring of heldout2-messages.tsv: BiglyBT
    // (BiglySoftware/BiglyBT TRTrackerServerTorrentImpl.java) "Unauthorised: key mismatch";
    // SimpleTracker "无法验证这个 SimpleTracker Key".
    f(
        AccessDenied,
        "key × refused",
        // General vocabulary (es, fr, de, pt, ru), not taken from any row: the key in other
        // languages and its verdicts after "revoked".
        &[
            " key ",
            " keys ",
            " clave",
            " clé",
            " cle ",
            " schlüssel",
            " chave",
            "ключ",
        ],
        &[
            "invalid",
            "not valid",
            "expired",
            "unknown",
            "wrong",
            "incorrect",
            "not found",
            "mismatch",
            "does not match",
            "不匹配",
            "无法验证",
            "無法驗證",
            "revoked",
            "inválid",
            "invalide",
            "ungültig",
            "falsch",
            "desconocid",
            "inconnu",
            "unbekannt",
            "caducad",
            "expiré",
            "abgelaufen",
            "expirad",
            "неверн",
            "недейств",
            "не найден",
            "устарел",
        ],
        Near::Either(40),
    ),
    // The announce URL a private tracker gives each user carries the user's key: that URL named
    // together with "re-download the torrent" is the user's key refused (a new copy of the
    // torrent carries the right one). An announce URL called invalid without it is a malformed
    // announce ("announce URL × invalid" in part 7): docs/metrics.md.
    // Widened after the one blind scoring of heldout4-messages.tsv: a Discuz! X BT plugin for the
    // SKM forum (code search) "请重新下载种子，种子的tracker是不合法的。" (the announce URL lacks its
    // pid). Narrowed after the one blind scoring of heldout5-messages.tsv, where a Rust tracker
    // library's "invalid announce URL" (an announce to an invalid URL) read as a refusal: the
    // verdict is now the request to re-download, not the word "invalid". The other subjects and
    // the re-download words are general vocabulary (en, zh, ru, es, fr, de, pt).
    f(
        AccessDenied,
        "announce URL × re-download",
        ANNOUNCE_URL,
        &[
            "重新下载",
            "重新下載",
            "重新获取",
            "重新獲取",
            " redownload",
            " re download",
            " download again",
            " download the torrent again",
            " download the torrent file again",
            " download a new copy",
            " get a new copy",
            "перекача",
            "скачайте заново",
            "скачать заново",
            "скачайте торрент заново",
            "volver a descargar",
            "descárgalo de nuevo",
            "descargar de nuevo",
            "retélécharg",
            "télécharger à nouveau",
            "téléchargez à nouveau",
            "erneut herunterladen",
            "neu herunterladen",
            "baixar novamente",
            "baixe novamente",
            "baixe de novo",
        ],
        Near::Either(60),
    ),
    // The user's identifier (French: the announce credential), refused; only the identifier
    // itself ("identifiant du torrent inconnu" names the torrent).
    // Widened after the one blind scoring of heldout3-messages.tsv, in French: TorrentHub
    // (babbittry/TorrentHub TrackerLocalizer.cs) "Identifiant invalide.".
    f(
        AccessDenied,
        "identifier × refused (fr)",
        &[" identifiant"],
        &["invalide", "inconnu", "incorrect", "expiré", "erroné"],
        Near::After(3),
    ),
    // Addresses: XBT "unregistered IP address"; TorrentPier "You can seed only from 2 IP's";
    // Russian TBDev "Неавторизованный ip адрес для этого пасскея".
    alone(
        AccessDenied,
        "address",
        &[
            " ip address",
            " ip адрес",
            "ip地址",
            " ip 地址",
            "unregistered ip",
            " your ip ",
            " your ips ",
            "only from # ip",
        ],
    ),
    f(
        AccessDenied,
        "address × not allowed",
        &[" ip ", " ips "],
        &[
            "not allowed",
            "not authori",
            "not registered",
            "not permitted",
            "not whitelisted",
            " banned",
            " blocked",
            "blacklisted",
            // General vocabulary (en, es, fr, de, pt, ru), not taken from any row: on a block
            // list or off the allowed one, refused in other words.
            "not on whitelist",
            "not on the whitelist",
            "not in whitelist",
            "not in the whitelist",
            "blacklist",
            "black list",
            "blocklist",
            "denylist",
            "restricted",
            "denied",
            "forbidden",
            "prohibited",
            "no permitid",
            "prohibid",
            "bloquead",
            "baneado",
            "interdit",
            "bloqué",
            " banni",
            "nicht erlaubt",
            "gesperrt",
            "verboten",
            "não permitid",
            "proibid",
            "запрещ",
            "заблокир",
        ],
        Near::After(20),
    ),
    // The way the user reaches the tracker (a proxy, VPN, Tor, a tunnel or an address range),
    // refused or limited.
    // Widened after the one blind scoring of heldout4-messages.tsv: haya_pt, a PT plugin for
    // Xiuno BBS (code search) "IP隧道错误，当前限制了特定的IP隧道可以访问。"; the other subjects and
    // verdicts are general vocabulary (en, es, fr, de, pt, ru, zh).
    f(
        AccessDenied,
        "proxy, tunnel or address range × refused",
        &[
            " proxy",
            " proxies",
            " vpn",
            " tunnel",
            " tor ",
            " ip range",
            " subnet",
            "прокси",
            "туннел",
            "隧道",
            "代理",
            "ip段",
            "ip范围",
            "ip範圍",
            "网段",
            "網段",
        ],
        &[
            "not allowed",
            "not permitted",
            "forbidden",
            "prohibited",
            "blocked",
            "banned",
            "blacklist",
            "denied",
            "restricted",
            "refused",
            "detected",
            "no permitid",
            "prohibid",
            "bloquead",
            "interdit",
            "bloqué",
            "nicht erlaubt",
            "verboten",
            "gesperrt",
            "não permitid",
            "proibid",
            "запрещ",
            "заблокир",
            "限制",
            "不允许",
            "不允許",
            "禁止",
            "黑名单",
            "黑名單",
            "白名单",
            "白名單",
            "不在",
            "拒绝",
            "拒絕",
            "封",
        ],
        Near::Either(20),
    ),
    // Accounts: UNIT3D "Your account is disabled.", "Your account is not enabled!"; NexusPHP
    // "Your account is parked!"; XBT "access denied, account disabled"; Russian "Ваш аккаунт
    // припаркован"; Chinese "该账号已被禁用"; Ukrainian "обліковий запис" (a TBDev-derived
    // tracker's translations).
    alone(
        AccessDenied,
        "account",
        &[
            " account",
            " membership",
            "аккаунт",
            "учётн",
            "учетн",
            "обліков",
            "账号",
            "帐号",
            "账户",
            "帐户",
            "帳號",
            "帳戶",
            "賬號",
            "votre compte",
            "sua conta",
            "seu cadastro",
            "dein konto",
            "ihr konto",
            "benutzerkonto",
            // General vocabulary (es, fr, de, pt, zh), not taken from any row.
            " cuenta",
            " konto",
            "ton compte",
            "le compte ",
            "ce compte ",
            " a conta ",
            " esta conta ",
            "賬戶",
            // General vocabulary (pt, sl, hr, cs, sk), not taken from any row: "your account"
            // (a bare "conta" or "račun" also means a count or a bill: the family after this one).
            "tua conta",
            "vossa conta",
            "vaš račun",
            "tvoj račun",
            "váš účet",
            "tvůj účet",
        ],
    ),
    // An account named by a word that also means something else ("por conta de": because of;
    // "račun": a bill), said to be barred, pending or unknown.
    // Widened after the one blind scoring of heldout5-messages.tsv: a Brazilian Portuguese
    // Laravel tracker (code search) "Conta Banida", "Conta Suspensa", "Conta Pendente
    // Ativacao"; the other verdicts and the Slovenian, Croatian, Serbian and Czech words are
    // general vocabulary (pt, sl, hr, sr, cs).
    f(
        AccessDenied,
        "account × barred or unknown (pt, sl, hr, cs)",
        &[
            " conta ",
            " račun ",
            " računa ",
            " računu ",
            " účet ",
            " účtu ",
            " налог ",
        ],
        &[
            "banid",
            "suspens",
            "pendente",
            "inativ",
            "bloquead",
            "desativad",
            "desabilitad",
            "expirad",
            "cancelad",
            "encerrad",
            "congelad",
            "não ativad",
            "nao ativad",
            "não confirmad",
            "nao confirmad",
            "não encontrad",
            "nao encontrad",
            "não existe",
            "nao existe",
            "inexist",
            "ne obstaja",
            "ni najden",
            "blokiran",
            "onemogočen",
            "suspendiran",
            "prepovedan",
            "izbrisan",
            "neaktiv",
            "ni aktiviran",
            "ni potrjen",
            "ne postoji",
            "nije pronađen",
            "nije pronaden",
            "onemogućen",
            "zabranjen",
            "nije aktiviran",
            "не постоји",
            "блокиран",
            "neexistuje",
            "zablokován",
            "pozastaven",
            "zrušen",
            "neaktivní",
        ],
        Near::After(20),
    ),
    // Not authorised (the user): a TBDev-derived tracker's translations "You are not
    // authorized", "Не авторизированны", "Не авторизовані". Only the user: opentracker's
    // "Requested download is not authorized for use with this tracker" is the torrent.
    // Widened after the one blind scoring of heldout2-messages.tsv: BiglyBT "Unauthorized" (a
    // filtered address), said bare (the whole message).
    alone(
        AccessDenied,
        "you × not authorised",
        &[
            "you are not authori",
            "youre not authori",
            " you not authori",
            "user is not authori",
            "user not authori",
            "^ not authori",
            "^ unauthorized $",
            "^ unauthorised $",
            "не авториз",
            "неавториз",
        ],
    ),
    // More than one place at a time, in Chinese, before the torrent families: "同一种子禁止多处下载"
    // (a Go tracker for a PHPWind forum); "您不能在同一位置从多个客户端同时上传同一个种子",
    // "您已在 … 汇报过了" (NexusPHP sites).
    // Widened after the one blind scoring of heldout2-messages.tsv: tjupt (sicalpath/tjupt
    // announce.php) "你正在从其他地方下载相同的内容", "同一种子不能在超过三个地方保种".
    alone(
        AccessDenied,
        "second location (zh)",
        &[
            "多处",
            "多個位置",
            "多个位置",
            "多个客户端",
            "多個客戶端",
            "多重客户端",
            "同一位置",
            "一个位置",
            "一個位置",
            "其他位置",
            "地方",
            "一个客户端",
        ],
    ),
    f(
        AccessDenied,
        "already reported elsewhere (zh)",
        &["已在"],
        &["汇报", "彙報", "做种", "下载"],
        Near::After(60),
    ),
    // Users: TorrentPier "(user not found)"; UNIT3D "You are no longer welcome here", "Your account
    // is still validating"; chihaya middlewares "unapproved user"; NexusPHP "parked"; Chinese
    // "用户不存在", "用户已被封禁"; Russian "для пользователя".
    // Widened after the one blind scoring of heldout2-messages.tsv: babou (drbawb/babou) "user
    // could not be found."; a French Laravel tracker "Utilisateur inexistant".
    f(
        AccessDenied,
        "user × unknown or barred",
        &[
            " user ",
            " users ",
            " member ",
            "用户",
            "用戶",
            "utilisateur",
            // General vocabulary (es, pt, de, zh), not taken from any row.
            " usuario",
            " usuário",
            " benutzer",
            " nutzer",
            "会员",
            "會員",
            "使用者",
            // Widened after the one blind scoring of heldout5-messages.tsv: Laguna
            // (SloveniaEngineering/laguna-backend crates/laguna-backend-api/src/error/peer.rs)
            // "Uporabnik z id … ne obstaja." (the UUID reads as `#`: meaning.rs); the Croatian,
            // Serbian, Polish, Czech and Slovak words are general vocabulary.
            "uporabnik",
            "korisnik",
            "корисник",
            "użytkownik",
            "uzytkownik",
            "uživatel",
            "uzivatel",
            "používateľ",
        ],
        &[
            "not found",
            "unknown",
            "not registered",
            "does not exist",
            "doesnt exist",
            "not exist",
            "banned",
            "disabled",
            "not approved",
            "blocked",
            "suspended",
            "not activated",
            "inactive",
            "不存在",
            "未注册",
            "被禁",
            "封禁",
            "禁用",
            "未激活",
            "inexist",
            "could not be found",
            "cannot be found",
            // Widened after the one blind scoring of heldout4-messages.tsv: a Chinese PT site's
            // tracker on its own "cg" PHP framework (code search) "用户自己临时停用…" (parked by its
            // owner), "用户已被认领…" (merged into another account).
            "停用",
            "认领",
            "認領",
            // General vocabulary (en, es, fr, de, pt, zh), not taken from any row: deactivated,
            // locked, parked, merged, expired, frozen, cancelled.
            "deactivated",
            " locked",
            "parked",
            "merged",
            "terminated",
            "expired",
            "not enabled",
            "not active",
            "not confirmed",
            "unconfirmed",
            "restricted",
            "no encontrad",
            "no existe",
            "desconocid",
            "desactivad",
            "deshabilitad",
            "bloquead",
            "suspendid",
            "baneado",
            "inconnu",
            "introuvable",
            "désactivé",
            "bloqué",
            " banni",
            "suspendu",
            "nicht gefunden",
            "unbekannt",
            "existiert nicht",
            "gesperrt",
            "deaktiviert",
            "gebannt",
            "não encontrad",
            "desativad",
            "banid",
            "suspens",
            "冻结",
            "凍結",
            "锁定",
            "鎖定",
            "注销",
            "註銷",
            "合并",
            "合併",
            "暂停",
            "暫停",
            "过期",
            "過期",
            "未验证",
            "未驗證",
            "未启用",
            "未啟用",
            "未找到",
            "找不到",
            "无此",
            "無此",
            "停權",
            "封锁",
            "封鎖",
            // Widened after the one blind scoring of heldout5-messages.tsv: Laguna "Uporabnik z
            // id … ne obstaja."; the other verdicts are general vocabulary (pt without accents,
            // sl, hr, sr, pl, cs, sk).
            "ne obstaja",
            "nao encontrad",
            "não existe",
            "nao existe",
            "inativ",
            "pendente",
            "ni najden",
            "ni registriran",
            "blokiran",
            "onemogočen",
            "prepovedan",
            "ne postoji",
            "nije pronađen",
            "nije pronaden",
            "nije registriran",
            "onemogućen",
            "zabranjen",
            "не постоји",
            "није пронађен",
            "nie istnieje",
            "nie znaleziono",
            "zablokowan",
            "zbanowan",
            "neexistuje",
            "nenalezen",
            "zablokován",
            "nenájden",
        ],
        Near::After(20),
    ),
    // Widened after the one blind scoring of heldout2-messages.tsv: a MyBB-based tracker
    // (Ruf790/mybb-based-torrent-tracker) "Register first: …".
    // Widened after the one blind scoring of heldout3-messages.tsv (registered users or members
    // only): phpMyBitTorrent (joeroberts234/phpMyBitTorrent announce.php) "Only registered users
    // are allowed to use our tracker"; ppkBB3cker (a phpBB tracker mod by PPK,
    // tracker/announce2.php) "For registered users only".
    alone(
        AccessDenied,
        "user",
        &[
            "unapproved user",
            "unregistered user",
            // General vocabulary (pl, cs, sk, sl, hr), not taken from any row: an unregistered
            // user is refused before "not registered" reads as the torrent.
            "niezarejestrowany użytk",
            "neregistrovaný uživatel",
            "neregistrovaný použív",
            "neregistriran uporabnik",
            "neregistrirani korisnik",
            "you are not registered",
            " log in ",
            " login",
            "logged in",
            "no longer welcome",
            " parked",
            "still validating",
            "register first",
            "sign up first",
            "not activated",
            "пользовател",
            "registered users",
            "registered members",
            "members only",
            "users only",
        ],
    ),
    // Guests barred, a session key refused, a step the user must take on the site first. Before
    // "tracker × closed": a tracker switched off for guests refuses the user, not the tracker.
    // Widened after the one blind scoring of heldout3-messages.tsv: ppkBB3cker (a phpBB tracker
    // mod by PPK, tracker/announce2.php) "Sorry, guests tracker disabled" and "Session ID not
    // found, please re-download torrent" (a guest's announce key); QY-PT tracker
    // (QingyingPT/QY-PT-tracker announce.php) "Please enable tracker first".
    f(
        AccessDenied,
        "guests × barred",
        &[" guest"],
        &[
            "disabled",
            "not allowed",
            "not permitted",
            "forbidden",
            "denied",
            "closed",
            " cant ",
            "cannot",
            "can not",
            "no access",
            "not available",
        ],
        Near::Either(20),
    ),
    f(
        AccessDenied,
        "session key × unknown or expired",
        &[" session id", " session key", " sessionid", " session "],
        &[
            "not found",
            "unknown",
            "invalid",
            "not valid",
            "expired",
            "wrong",
            "incorrect",
        ],
        Near::Either(20),
    ),
    f(
        AccessDenied,
        "do this on the site first",
        &[
            "please enable",
            "please activate",
            "please register",
            "please confirm",
            "please verify",
            "please accept",
            "please log in",
            "please login",
        ],
        &[" first"],
        Near::After(30),
    ),
    // A download, privilege or right taken away, with its misspellings ("priviledge").
    // Widened after the one blind scoring of heldout3-messages.tsv: QY-PT tracker "Download
    // priviledge is disabled!".
    f(
        AccessDenied,
        "privilege or right × taken away",
        &[" privil", " previl", " right to ", " rights "],
        &[
            "disabled",
            "revoked",
            "removed",
            "suspended",
            "withdrawn",
            "taken away",
            "not granted",
            "denied",
            "no longer",
        ],
        Near::Either(30),
    ),
    // Class, rank and VIP restrictions: UNIT3D's groups and NexusPHP's classes as they refuse
    // ("Your class is too low", "VIP only"), in the languages covered.
    // Widened after the one blind scoring of heldout3-messages.tsv: phpMyBitTorrent "Your level
    // dose not allow you to access downloads" (said as "not allow", "disabled", "denied").
    f(
        AccessDenied,
        "user class × too low or required",
        &[
            " class ",
            " rank ",
            " level ",
            " vip",
            " donor",
            " elite",
            "power user",
            " members",
            "user group",
            "等级",
            "等級",
            "级别",
            "級別",
            "用户组",
            "用戶組",
            "класс",
            "ранг",
            "уровень",
        ],
        &[
            "too low",
            "not high enough",
            "insufficient",
            "required",
            "requires",
            "require ",
            " need",
            " must",
            " only",
            "at least",
            "not allow",
            "disabled",
            "denied",
            "not enough",
            "not permitted",
            "higher",
            "restricted",
            "reserved",
            "exclusive",
            "not available",
            "unavailable",
            "available to",
            "available for",
            "专属",
            "專屬",
            "仅限",
            "僅限",
            "不够",
            "不足",
            "不允许",
            "以上",
            "才能",
            "только",
            "недостаточ",
            "низк",
            "нужен",
            "требует",
        ],
        Near::Either(30),
    ),
    // Clients and their versions: Ocelot "Your client is not on the whitelist"; XBT "access
    // denied, banned client"; UNIT3D "Your client is too old.", "Client … is not acceptable!
    // Please check our Whitelist.", "Client … banned due to: …"; chihaya (middleware/
    // clientapproval) "unapproved client"; mochi (sot-tech/mochi) "client not allowed by mochi";
    // qbit_manage "YOU HAVE REACHED THE CLIENT LIMIT FOR THIS TORRENT"; NexusPHP "Your
    // qBittorrent 's version is too low"; a Go tracker for a PHPWind forum "错误：客户端不被支持".
    // Widened after the one blind scoring of heldout2-messages.tsv: Clients named by name: TBDev
    // (yunasc/tbdev) "TorrentStorm is Banned.", "Please Update your BitTornado.", "… is not an
    // acceptalbe client"; TBDev.net (nickmsk9/tbdev.net) "… не допускается", "Обновите
    // BitTornado."; a MyBB-based tracker "You can not use this client", "You cannot use this
    // agent!"; YemaPT (wiki1.yemapt.org) "not allow client"; xbnbt-zijing-mod "does not allow
    // client spoofing".
    // Widened after the one blind scoring of heldout3-messages.tsv, in French and Swedish:
    // TorrentHub (babbittry/TorrentHub TrackerLocalizer.cs) "Votre client est banni."; rartracker
    // (swetorrentking/rartracker tracker.php) "Klienten du använder är inte tillåten.".
    f(
        AccessDenied,
        "client × refused",
        &[
            " client",
            " agent",
            " software ",
            " program ",
            " programs ",
            " utorrent",
            " µtorrent",
            " bittornado",
            " torrentstorm",
            " bitcomet",
            " azureus",
            " btuga",
            " bitlord",
            " flashget",
            " xunlei",
            " klient",
        ],
        CLIENT_REFUSED,
        Near::Either(40),
    ),
    // A client called bad, unknown or fake outright: the tracker turns it away.
    // Widened after the one blind scoring of heldout3-messages.tsv: openTracker
    // (thetooi/openTracker announce.php) "bad client"; ppkBB3cker (a phpBB tracker mod by PPK,
    // tracker/announce2.php) "Unknown Client" (a browser's headers).
    f(
        AccessDenied,
        "bad or unknown × client",
        &[" client", " klient"],
        &[
            " bad",
            "unknown",
            "unrecognized",
            "unrecognised",
            "invalid",
            "illegal",
            " fake",
            "spoofed",
            "unauthorized",
            "unauthorised",
            "forbidden",
            // General vocabulary (en), not taken from any row.
            " suspicious",
            " modified",
            " hacked",
            " cheating",
            " blacklisted",
            " banned",
            " blocked",
            " disallowed",
            " unsupported",
            " outdated",
            " obsolete",
            " untrusted",
        ],
        Near::Before(1),
    ),
    alone(
        AccessDenied,
        "client",
        &[
            "unapproved client",
            "list of acceptable",
            "list of allowed",
            "list of proper",
            "list of approved",
            "acceptable clients",
            "allowed clients",
            "proper clients",
            "approved clients",
        ],
    ),
    f(
        AccessDenied,
        "version × too old or required",
        &[" version", "版本", "верси"],
        &[
            "too low",
            "too old",
            "outdated",
            "not allowed",
            "not supported",
            "no longer supported",
            "unsupported",
            " banned",
            "blacklist",
            "required",
            "minimum",
            " min ",
            "at least",
            "upgrade",
            "update",
            "newer",
            "higher",
            "older",
            " below",
            "过低",
            "太低",
            "过旧",
            "太旧",
            "低于",
            "升级",
            "更新",
            "不支持",
            "不被支持",
            "устарел",
            "обнов",
            "не поддерж",
            "старая",
            "минималь",
        ],
        Near::Either(40),
    ),
    // Version demands that name neither "client" nor "version" ("please upgrade to 4.3 or later").
    alone(
        AccessDenied,
        "version demand",
        &[
            " or later ",
            " or newer ",
            " or higher ",
            " or above ",
            "please upgrade",
            "upgrade to ",
            "please update to",
        ],
    ),
    // Widened after the one blind scoring of heldout2-messages.tsv: tjupt "当前客户端不能很好的支持https".
    f(
        AccessDenied,
        "client × refused (zh, ru)",
        &["客户端", "客戶端", "клиент"],
        &[
            "禁",
            "不能",
            "不被允许",
            "不允许",
            "不被支持",
            "不受支持",
            "不支持",
            "过旧",
            "黑名单",
            "白名单",
            "不允許",
            "不支援",
            "不被支援",
            "黑名單",
            "запрещ",
            "забанен",
            "заблокирован",
            "не поддерж",
            "устарел",
            "черн",
        ],
        Near::After(20),
    ),
    // A tracker in maintenance says nothing of the torrent, even when it names it: tqm and
    // qbit_manage down lists "Tracker is down for maintenance"; NexusPHP sites "Tracker in system
    // maintaining"; Chinese "服务器维护中".
    alone(
        TrackerUnavailable,
        "maintenance",
        &[
            "mainten",
            "maintain",
            "维护",
            "維護",
            "обслуживан",
            "технические работы",
            "обслуговуван",
            "wartung",
            "manutenção",
        ],
    ),
    // --- 3. the torrent is not (or not yet) on the tracker ----------------------------------
    // Ocelot/XBT/chihaya "Unregistered torrent"; NexusPHP and TBDev "torrent not registered with
    // this tracker"; UNIT3D 150 "Torrent not registered with this tracker."; TorrentPier "Torrent
    // not registered, info_hash = …"; qbit_manage, tqm (autobrr/tqm) and qui (autobrr/qui) lists
    // incl. "tracker nicht registriert", "não registrado"; Russian "Торрент не зарегистрирован
    // на трекере"; Ukrainian "Реліз не зареєстрований на трекері"; Chinese "种子未注册",
    // "该种子没有在我们的 Tracker 上注册" (NexusPHP sites); with common misspellings.
    // Widened after the one blind scoring of heldout2-messages.tsv: SimpleTracker
    // (Simple-Tracker/SimpleTracker) "可能是因为它没有被注册".
    alone(
        Unregistered,
        "torrent × not registered",
        &[
            " unregis",
            " unregest",
            " deregist",
            "not regist",
            "not registred",
            "non regist",
            "nicht registriert",
            "non enregistr",
            "não regist",
            "nao regist",
            "не зарегистрирован",
            "незарегистрирован",
            "не зареєстрован",
            "незареєстрован",
            "未注册",
            "未註冊",
            "未登记",
            "未登記",
            "没有注册",
            "没有被注册",
            "没被注册",
            "沒有被註冊",
            // General vocabulary (es, fr, it, pt, zh), not taken from any row.
            "no registrad",
            "no está registrad",
            "sin registrar",
            "pas enregistr",
            "non registrat",
            "não está registrad",
            "未登錄",
            // General vocabulary (pt without accents, sl, hr, pl, cs, sk), not taken from any row.
            "nao esta registrad",
            "ni registriran",
            "nije registriran",
            "nie zarejestrowan",
            "niezarejestrowan",
            "není registrován",
            "neregistrován",
            "nie je registrovan",
        ],
    ),
    f(
        Unregistered,
        "torrent × not registered (zh)",
        &["没有在", "沒有在"],
        &["注册", "註冊"],
        Near::After(30),
    ),
    // Absent: UNIT3D "Torrent not found"; XBT-style trackers "info_hash not found"; NexusPHP
    // "Torrent not exists"; qbit_manage "UNKNOWN TORRENT", "INFOHASH NOT FOUND."; tqm "torrent
    // existiert nicht", "torrent nicht gefunden"; qui "torrent introuvable", "nem található";
    // Chinese "种子不存在".
    // Widened after the one blind scoring of heldout2-messages.tsv: babou "torrent could not be
    // found."; an Icelandic Rails tracker "Torrent ekki á skrá".
    // Widened after the one blind scoring of heldout3-messages.tsv, in French and Swedish too:
    // TorrentHub (babbittry/TorrentHub TrackerLocalizer.cs) "Torrent non trouvé."; ppkBB3cker (a
    // phpBB tracker mod by PPK, tracker/announce2.php) "This torrent not in a tracker" ("not in"
    // or "not on" a, this, the or our tracker); Swedish "finns inte", "hittades inte".
    f(
        Unregistered,
        "torrent × absent",
        TORRENT,
        ABSENT,
        Near::After(30),
    ),
    f(
        Unregistered,
        "absent × torrent",
        TORRENT,
        &[
            "unknown",
            "no such",
            "nonexistent",
            "non existent",
            "nonexisting",
            "non existing",
            "inexistent",
            "missing torrent",
            // Widened after the one blind scoring of heldout5-messages.tsv: Uplink "Torrent not
            // recognized." said the other way round (general vocabulary, en).
            "unrecognized",
            "unrecognised",
        ],
        Near::Before(1),
    ),
    // The torrent itself called invalid: the tracker does not hold it as a torrent. Not its hash
    // or the client's copy of the file: "invalid torrent hash" is a malformed request and
    // "Invalid .torrent, try downloading again" (GazellePW) asks for a new copy of the file, so
    // both are read as requests first.
    // Widened after the one blind scoring of heldout3-messages.tsv: spbt (xakep7/spbt tracker.py)
    // "Invalid torrent" (a scrape of a torrent it does not hold).
    f(
        BadRequest,
        "torrent file or hash × malformed",
        &[" torrent file", " torrent hash"],
        &[" invalid", " malformed", " corrupt", " bad"],
        Near::Either(12),
    ),
    f(
        BadRequest,
        "invalid torrent × its file or a new copy",
        &[" invalid torrent"],
        &[
            " file",
            " hash",
            " download",
            " redownload",
            " re download",
            // Widened after the one blind scoring of heldout4-messages.tsv: an invite-only Go
            // tracker (code search) "Invalid torrent parameters" (a malformed request, not the
            // torrent; "torrent × parameters" above reads it first).
            " param",
            " argument",
        ],
        Near::After(20),
    ),
    f(
        Unregistered,
        "torrent × invalid",
        &[" torrent"],
        &[" invalid", " not valid"],
        Near::Either(3),
    ),
    // A torrent that is a forum attachment, post or topic, gone with it.
    // Widened after the one blind scoring of heldout3-messages.tsv: ppkBB3cker (a phpBB tracker
    // mod by PPK, tracker/announce2.php) "Error, no attachment or post or forum".
    f(
        Unregistered,
        "no attachment or topic",
        &[" attachment", " topic", " thread "],
        &[" no", "no such", "unknown", "deleted", "missing"],
        Near::Before(1),
    ),
    f(
        Unregistered,
        "attachment, post or topic × gone",
        &[" attachment", " topic", " post ", " thread "],
        &[
            "not found",
            "not exist",
            "doesnt exist",
            "no longer exist",
            "could not be found",
            "deleted",
            "removed",
        ],
        Near::After(20),
    ),
    // "No torrent … found": meanTorrent (taobataoma/meanTorrent announces.server.controller.js)
    // "No torrent with that info_hash has been found".
    f(
        Unregistered,
        "no torrent × found",
        &[" no torrent"],
        &["found", "exist", "known", "registered"],
        Near::After(40),
    ),
    // An offer is xbnbt's name for an upload not yet admitted: xbnbt-zijing-mod
    // (el8latspq/xbnbt-zijing-mod lang.cfg.sample) "requested offer is (not) correctly seeded".
    alone(
        Unregistered,
        "offer not yet admitted",
        &[" requested offer"],
    ),
    // Access lists: opentracker (erdgeist/opentracker) "Requested download is not authorized for
    // use with this tracker."; qbit_manage "TORRENT IS NOT AUTHORIZED FOR USE ON THIS TRACKER";
    // torrust-tracker "The torrent: …, is not whitelisted"; aquatic "Info hash not allowed".
    alone(
        Unregistered,
        "download × not authorised for use",
        &["not authorized for use", "not authorised for use"],
    ),
    f(
        Unregistered,
        "torrent × not whitelisted",
        TORRENT,
        &[
            "not whitelisted",
            "not on the whitelist",
            "not in whitelist",
            "not in the whitelist",
            "not in allowlist",
            "not authori",
            "not allowed",
            "not permitted",
            // Widened after the one blind scoring of heldout4-messages.tsv: torrust-actix
            // (Power2All/torrust-actix src/udp/enums/server_error.rs) "torrent not on whitelist";
            // the others are general vocabulary (en, es, fr, de).
            "not on whitelist",
            "not on the whitelist",
            "not on allowlist",
            "not on the allowlist",
            "not in the allowlist",
            "not on the allow list",
            "not on the access list",
            "not in the access list",
            "no está en la lista blanca",
            "pas dans la liste blanche",
            "nicht auf der whitelist",
        ],
        Near::After(80),
    ),
    // The torrent on the tracker's block list (a torrent banned or blocked is not on the
    // tracker: docs/metrics.md).
    // Widened after the one blind scoring of heldout4-messages.tsv: torrust-actix
    // (Power2All/torrust-actix src/udp/enums/server_error.rs) "torrent blacklist"; the others are
    // general vocabulary (en, es, fr, de).
    f(
        Unregistered,
        "torrent × on a block list",
        TORRENT,
        &[
            " blacklist",
            " black list",
            " blocklist",
            " block list",
            " denylist",
            " deny list",
            " banlist",
            " ban list",
            " lista negra",
            " liste noire",
            " sperrliste",
        ],
        Near::After(12),
    ),
    // Taken off or held back: UNIT3D "Torrent is still pending moderation", "Torrent has been
    // rejected", "You do not have permission to access a pending torrent."; NexusPHP "torrent
    // banned", "torrent review not approved"; tqm "torrent has been postponed", "torrent has
    // been nuked"; chihaya (middleware/torrentapproval) "unapproved torrent"; qbit_manage
    // "TORRENT DELETED"; UNIT3D-Announce (Roardom/UNIT3D-Announce) "Torrent not approved.";
    // webtorrent/bittorrent-tracker "disallowed torrent"; Russian TBDev "Торрент забанен на
    // трекере", "Торрент еще непроверен модератором", "Закачка этого торрента приостановленна".
    // Widened after the one blind scoring of heldout2-messages.tsv: udpt (naim94a/udpt) "torrent
    // flagged."; BiglyBT "Torrent unauthorised", "Torrent temporarily disabled".
    f(
        Unregistered,
        "torrent × withdrawn",
        TORRENT,
        WITHDRAWN,
        Near::After(30),
    ),
    // "torrent disabled", "torrent has been closed": said of the torrent itself, not of a feature
    // near it ("torrent updates disabled during maintenance").
    // Widened after the one blind scoring of heldout2-messages.tsv: YemaPT "torrent validate
    // error"; Pu-239 (darkalchemy/Pu-239 scrape.php) "torrent error".
    // Widened after the one blind scoring of heldout3-messages.tsv: ppkBB3cker (a phpBB tracker
    // mod by PPK, tracker/announce2.php) "Forbidden or Blocked torrent" (a torrent the tracker
    // bars is no longer on it, like a banned one: "torrent blocked", "blocked torrent").
    f(
        Unregistered,
        "torrent × disabled",
        TORRENT,
        &[
            "disabled",
            "closed",
            "has been disabled",
            "has been closed",
            "is disabled",
            "is closed",
            "was disabled",
            "was closed",
            "error",
            "validat",
            "blocked",
            "is blocked",
            "was blocked",
            "has been blocked",
            "forbidden",
            "is forbidden",
            // General vocabulary (en, es, fr, de, pt), not taken from any row: deactivated,
            // not enabled, locked, disabled and blocked in other words.
            "deactivated",
            "is deactivated",
            "not enabled",
            "is not enabled",
            " locked",
            "is locked",
            "desactivad",
            "deshabilitad",
            "está desactivad",
            "bloquead",
            "está bloquead",
            "désactivé",
            "bloqué",
            "est bloqué",
            "deaktiviert",
            "ist deaktiviert",
            "desativad",
            // General vocabulary (pt without accents, sl, hr, pl, cs), not taken from any row.
            "bloquead",
            "blokiran",
            "je blokiran",
            "jest zablokowan",
            "je zablokován",
            "onemogočen",
            "onemogućen",
            "zablokowan",
            "zablokován",
        ],
        Near::After(2),
    ),
    f(
        Unregistered,
        "withdrawn × torrent",
        TORRENT,
        &[
            "unauthorized",
            "unauthorised",
            "pending",
            "rejected",
            "postponed",
            "deleted",
            "banned",
            "nuked",
            "unapproved",
            "disallowed",
            "blacklisted",
            "dead",
            "frozen",
            "unreviewed",
            "unverified",
            "unchecked",
            "removed",
            "trumped",
            "blocked",
            "forbidden",
        ],
        Near::Before(1),
    ),
    alone(
        Unregistered,
        "not approved",
        &[
            "review not approved",
            "not yet approved",
            "pending moderation",
            "pending approval",
            "pending review",
            "awaiting moderation",
            "awaiting approval",
            "awaiting review",
        ],
    ),
    // Deletion reasons sent as the message: Ocelot get_del_reason ("Unregistered torrent:
    // Trump"); BeyondHD/RFM via qbit_manage and tqm ("Trumped", "Dupe", "Nuked", "Complete
    // Season Uploaded", "Season Pack Out", "Problem with description", "I'm sorry Dave, I can't
    // do that", "Dead"); qui "repack available", "grab internal".
    alone(
        Unregistered,
        "deletion reason",
        &[
            " trump",
            " nuked ",
            " dupe ",
            "retitled",
            "repack available",
            "repack is available",
            "packs are available",
            "pack is available",
            "season pack",
            "complete season uploaded",
            "internal available",
            "grab internal",
            "^ upgraded ",
            "specifically banned",
            "problem with description",
            "problem with file",
            "problem with pack",
            "im sorry dave",
            "has been replaced",
            "superseded",
            "^ dead ",
        ],
    ),
    // Chinese (NexusPHP sites, a Go tracker for a PHPWind forum): 种子已被删除, 该种子已被禁止,
    // 种子审核中, 种子不存在.
    // Widened after the one blind scoring of heldout2-messages.tsv: tjupt "种子尚未上传或者已经被删除";
    // SimpleTracker "这个种子在黑名单".
    f(
        Unregistered,
        "torrent × absent or withdrawn (zh)",
        TORRENT_ZH,
        &[
            "不存在",
            "未找到",
            "找不到",
            "删除",
            "刪除",
            "禁",
            "审核",
            "審核",
            "候选",
            "冻结",
            "凍結",
            "未知",
            "下架",
            "尚未",
            "未上传",
            "黑名单",
            "黑名單",
            // Widened after the one blind scoring of heldout4-messages.tsv: a Chinese PT site's
            // tracker on its own "cg" PHP framework (code search) "种子没有发布或者发布不成功…";
            // haya_pt (code search) "种子可能已在服务器删除。" (the verdict farther from the subject:
            // the window is now 12 characters).
            "没有发布",
            "沒有發布",
            "未发布",
            "未發布",
            // General vocabulary (zh), not taken from any row: not uploaded, not in the tracker,
            // taken off, expired, locked, hidden, blocked, not approved (invalid only right
            // after the torrent: the family after this one).
            "未上傳",
            "没有上传",
            "沒有上傳",
            "不在",
            "没有在",
            "沒有在",
            "已下架",
            "撤下",
            "移除",
            "过期",
            "過期",
            "锁定",
            "鎖定",
            "隐藏",
            "隱藏",
            "屏蔽",
            "未通过",
            "未通過",
            "不可用",
            "找不到",
            // General vocabulary (zh), not taken from any row: not recognised.
            "未识别",
            "未識別",
            "无法识别",
            "無法識別",
        ],
        Near::After(12),
    ),
    // General vocabulary (zh), not taken from any row: the torrent itself invalid or void ("种子无效",
    // "种子已失效"), not a part of the request after it ("种子的info_hash无效").
    f(
        Unregistered,
        "torrent × invalid (zh)",
        TORRENT_ZH,
        &["无效", "無效", "失效", "作废", "作廢"],
        Near::After(2),
    ),
    alone(
        Unregistered,
        "not reviewed (zh)",
        &[
            "未通过审核",
            "未通過審核",
            "审核中",
            "審核中",
            "待审核",
            "待審核",
            "未审核",
            "未審核",
        ],
    ),
    // --- 4. other refusals and limits ------------------------------------------------------
    // Ocelot "Access denied, leeching forbidden"; XBT "access denied, wait time in effect";
    // UNIT3D "Browser, Crawler or Cheater is not Allowed.", "Abnormal access blocked !", "Your
    // downloading privileges have been disabled!"; TBDev "Anti-Cheater= You cannot use this
    // agent".
    alone(
        AccessDenied,
        "refused",
        &[
            "access denied",
            "access blocked",
            "permission",
            "not permitted",
            "not allowed",
            "not acceptable",
            "forbidden",
            "prohibited",
            " denied",
            " banned ",
            " ban ",
            "blacklist",
            "black list",
            "whitelist",
            "white list",
            " browser",
            " crawler",
            " cheat",
            "abnormal access",
            "privilege",
            "revoked",
            "not welcome",
        ],
    ),
    // Ratio, hit-and-run and waiting time: UNIT3D "Your ratio is too low!"; XBT "wait time in
    // effect", "you must wait 120 minute(s) before downloading this torrent"; TorrentPier "(ratio
    // < 0.3)".
    // Widened after the one blind scoring of heldout2-messages.tsv: xbnbt-zijing-mod "You are
    // under shareratio warning …".
    alone(
        AccessDenied,
        "ratio, hit and run, wait time",
        &[
            " ratio",
            "shareratio",
            "share ratio",
            "hit and run",
            "hit & run",
            "hit n run",
            "hitandrun",
            " h&r ",
            " hnr ",
            "wait time",
            "waiting time",
            "waiting period",
            "wait period",
            // General vocabulary (zh, ru, es, fr, de, pt), not taken from any row: the share ratio
            // by its other names. Widened after the one blind scoring of heldout4-messages.tsv: a
            // Chinese PT site's tracker on its own "cg" PHP framework (code search) "你的共享率过低…".
            "共享率",
            "分享比",
            "上传比",
            "上傳比",
            "соотношени",
            "ратио",
            "proporción",
            "proporcao",
            "proporção",
        ],
    ),
    f(
        AccessDenied,
        "wait × before downloading",
        &[" wait"],
        &[
            " download",
            " leech",
            " to start",
            "this torrent",
            " seeding",
        ],
        Near::After(40),
    ),
    // Slots, locations and other limits: XBT "peers limit reached", "torrents limit reached";
    // UNIT3D "Your slot limit is reached!", "You can only seed/leech a single torrent from upto 3
    // locations."; NexusPHP "You cannot seed the same torrent from more than 3 locations.";
    // TorrentPier "Only 5 torrent(s) allowed for seeding"; TBDev "Connection limit exceeded!";
    // UNIT3D-Announce "You already have 3 peers on this torrent."; a TBDev-derived tracker's
    // translations "You can download only from one place."; NexusPHP sites "This torrent has
    // other active clients on this IP.".
    // Widened after the one blind scoring of heldout2-messages.tsv: xbtit "you can only leech 3
    // torrents at any one time!"; xbtitDT-FM "5 active torrents are all that you get"; hudbt
    // (zuohaocheng/hudbt) "Please do not open multiple clients."; meanTorrent "you can not
    // seeding …".
    alone(
        AccessDenied,
        "slots and locations",
        &[
            " slot",
            "at a time",
            "at any one time",
            "at one time",
            "active torrents",
            "multiple client",
            "more than one client",
            "can not seed",
            "cannot seed",
            "same torrent",
            "only allowed to seed",
            "only # torrent",
            "not allowed to download",
            "not allowed to leech",
            "not allowed to seed",
            "leeching",
            "other location",
            "another location",
            "other active client",
            "other client",
            "another client",
            " locations ",
            " location ",
            "from one place",
            "from # place",
            "from a single place",
            "in one place",
            " peers on this torrent",
        ],
    ),
    // Widened after the one blind scoring of heldout2-messages.tsv: xbtit "Sorry max peers
    // reached!"; Arcadia (Arcadia-Solutions/arcadia) "You have already leeched 10 torrents …";
    // xbnbt-zijing-mod "You are already downloading this torrent.".
    // Widened after the one blind scoring of heldout3-messages.tsv: QY-PT tracker
    // (QingyingPT/QY-PT-tracker announce.php) "Waiting for cleaning redundant peers." (a second
    // location).
    f(
        AccessDenied,
        "peers, torrents, connections × limit",
        &[
            " peer ",
            " peers ",
            " torrent ",
            " torrents ",
            " connection ",
            " connections ",
            " download",
            " seed",
            " leech",
            " ip ",
            " ips ",
            " simultaneous",
            " concurrent",
        ],
        &[
            " limit",
            "maximum",
            " max",
            "too many",
            "exceed",
            "already have",
            "already has",
            "already",
            "more than",
            "redundant",
        ],
        Near::Either(20),
    ),
    // Credit: NexusPHP "purchase in progress, … make sure you have enough bonus"; bonus points,
    // upload credit and their Chinese (魔力, 积分) and Russian (бонус) names.
    alone(
        AccessDenied,
        "credit",
        &[
            " bonus",
            " credit ",
            " credits ",
            " karma",
            " purchase",
            "seedbonus",
            "魔力",
            "积分",
            "積分",
            "金币",
            "бонус",
        ],
    ),
    // Widened after the one blind scoring of heldout3-messages.tsv: QY-PT tracker
    // (QingyingPT/QY-PT-tracker announce.php) "You run out of HP." (its bonus points, "HP").
    // Widened after the one blind scoring of heldout4-messages.tsv: haya_pt, a PT plugin for
    // Xiuno BBS (code search) "您的流量过低，不能下载该资源！" (traffic credit, 流量); the other
    // subjects (traffic, upload amount, quota, credit, points; zh 上传量, 下载量, 魔力值, 积分; ru
    // трафик, кредит; es crédito, puntos; fr crédit; de Guthaben, Punkte; pt crédito, pontos) and
    // verdicts (too low, insufficient, below, used up) are general vocabulary.
    f(
        AccessDenied,
        "points, traffic or credit × not enough",
        &[
            " points",
            " buffer",
            " upload credit",
            " hp ",
            " traffic",
            " upload amount",
            " uploaded amount",
            " quota",
            " crédit",
            " credito",
            " crédito",
            " puntos",
            " pontos",
            " guthaben",
            " punkte",
            "трафик",
            "кредит",
            "流量",
            "上传量",
            "上傳量",
            "下载量",
            "下載量",
            "魔力值",
            "积分",
            "積分",
        ],
        &[
            "not enough",
            "insufficient",
            " need",
            "required",
            "too low",
            "negative",
            // General vocabulary (de, pt, es, sl, hr), not taken from any row: negative.
            "negativ",
            "exhausted",
            "run out",
            "used up",
            "below",
            "exceeded",
            "insuficient",
            "demasiado baj",
            "insuffisant",
            "trop bas",
            "nicht genug",
            "zu niedrig",
            "unzureichend",
            "недостаточ",
            "мало",
            "низк",
            "исчерпан",
            "过低",
            "過低",
            "太低",
            "不足",
            "不够",
            "不夠",
            "低于",
            "低於",
            "少于",
            "少於",
            "用完",
            "耗尽",
            "耗盡",
            "为负",
            "為負",
        ],
        Near::Either(30),
    ),
    // A speed reported beyond belief is the cheat check refusing the user, before the word
    // "event" reads as a request.
    // Widened after the one blind scoring of heldout3-messages.tsv: TorrentHub
    // (babbittry/TorrentHub TrackerLocalizer.cs) "Reported upload speed is too high. This event
    // has been logged.".
    f(
        AccessDenied,
        "speed × beyond belief",
        &[" speed", " upload rate", " download rate"],
        &[
            "too high",
            "too fast",
            "abnormal",
            "impossible",
            "unrealistic",
            "suspicious",
            "exceed",
            "over the limit",
        ],
        Near::Either(20),
    ),
    // Russian TBDev: "Рейтинг 0.2 (меньше 0.3) с ним запрещенно скачивать торренты.", "Вам
    // отключили скачивание торрентов!", "Нельзя скачивать торренты через браузер", "Анти-чит:
    // …"; Ukrainian "Ліміт з'єднань перевищено!"; Chinese 禁止/权限/分享率; German, French and
    // Portuguese "access denied".
    // Widened after the one blind scoring of heldout2-messages.tsv: TBDev.net "Нет доступа
    // (18ч)"; tjupt "该IP被封禁", "我们阻止了您本次的下载请求", "不允许使用代理服务器访问", "反作弊系统", "您最多只能同时开启 3 个下载任务".
    alone(
        AccessDenied,
        "refused (other languages)",
        &[
            "нет доступа",
            "反作弊",
            "阻止",
            "不允许",
            "不允許",
            "封禁",
            "被封",
            "最多只能",
            "запрещ",
            "заборон",
            "відключ",
            "ліміт",
            "з одного місця",
            "отключили",
            "скачивание отключ",
            "браузер",
            "анти чит",
            "античит",
            "рейтинг",
            "лимит",
            "禁止",
            "权限",
            "權限",
            "无权",
            "無權",
            "分享率",
            "上限",
            "zugriff verweigert",
            "gesperrt",
            "accès refusé",
            "acces refuse",
            "interdit",
            "acesso negado",
            "proibido",
            "bloqueado",
        ],
    ),
    // --- 5. announcing too often -----------------------------------------------------------
    // UNIT3D "You last announced 5 s ago. Please respect the min interval.", "You have reached
    // the rate limit"; NexusPHP "Request too frequent(h)", "There is a minimum announce time of
    // 30 seconds"; an XBT-protocol tracker "an event less request was sent before the specified
    // time"; a NexusPHP fork "[err req too frequently] wait for 4 seconds and try announce
    // again"; Russian TBDev "Минимум к автообновлению аннонса - 20 секунд"; Chinese 请求过于频繁.
    // Widened after the one blind scoring of heldout3-messages.tsv (the family after this one):
    // ExTracker (Dahrkael/ExTracker processors/announce.ex) "didn't respect minimal announcement
    // interval" (announce or interval × "minimal", "respect").
    alone(
        RateLimited,
        "too often",
        &[
            "rate limit",
            "ratelimit",
            "too many requests",
            "too many announces",
            "too frequent",
            "too often",
            "too fast",
            "too soon",
            "too quickly",
            "too early",
            "slow down",
            " min interval",
            "minimum interval",
            " min announce",
            "minimum announce",
            "announce interval",
            "respect the",
            "before the specified time",
            "throttl",
            " flood",
            "cooldown",
            "cool down",
            "reannounce",
            "re announce",
            "retry in ",
            "retry after",
            "try again in #",
            " wait # ",
            "wait another",
            "wait for #",
            "announce again",
            "announcing again",
            "before announcing",
            "between announces",
            "between requests",
            "频繁",
            "频率",
            "頻繁",
            "頻率",
            "太快",
            "过快",
            "過快",
            "间隔",
            "間隔",
            "请求过多",
            "слишком част",
            "слишком много запрос",
            "слишком рано",
            "минимум к",
            "интервал",
            "zu viele anfragen",
            "zu häufig",
            "trop de requêtes",
            "trop fréquent",
            "muitas requisições",
            "muitas solicitações",
            // General vocabulary (es, fr, de, pt, ru), not taken from any row.
            "demasiadas solicitudes",
            "demasiadas peticiones",
            "demasiado frecuente",
            "demasiado rápido",
            "intervalo mínimo",
            "trop souvent",
            "trop rapide",
            "intervalle minimum",
            "intervalle minimal",
            "zu oft",
            "zu schnell",
            "mindestintervall",
            "muito frequente",
            "muito rápido",
            "слишком быстро",
        ],
    ),
    f(
        RateLimited,
        "announce × too soon",
        &[" announc", " request ", " requests ", " interval", " req "],
        &[
            " ago ",
            "again in",
            "allowed in",
            "allowed after",
            " wait",
            "earliest",
            "minimum",
            " min ",
            "frequen",
            "faster",
            "too quick",
            "recently",
            "at least",
            " every #",
            "minimal",
            "respect",
        ],
        Near::Either(30),
    ),
    // --- 6. the tracker's own trouble ------------------------------------------------------
    // Ocelot "The tracker is temporarily unavailable."; UNIT3D "This Tracker is not open now.",
    // "Internal server error …", ":pattern REGEX error …, please ask sysop to fix this."; TBDev
    // "Please call back later", "SQL Error = …"; tqm/qbit_manage down lists ("tracker is down",
    // "maintenance", "temporarily disabled", "your request could not be processed, please try
    // again later"); torrust-tracker "Internal tracker error."; NexusPHP "Tracker error 5",
    // "error from TRACKER_API_LOCAL_HOST", "PL Err 1"; NexusPHP sites "Tracker in system
    // maintaining"; Chinese 维护/数据库/服务器.
    // Widened after the one blind scoring of heldout2-messages.tsv: BiglyBT "Tracker
    // initialising, please wait"; php-bittorrent-tracker (xbcn) "Unexpected error"; YemaPT "inner
    // error"; udp-torrent-tracker (Devristo) "Error =( contact crew please".
    alone(
        TrackerUnavailable,
        "tracker down",
        &[
            "unexpected error",
            "inner error",
            "initialising",
            "initializing",
            "starting up",
            "contact crew",
            "unavailable",
            "mainten",
            "maintain",
            "not open",
            "tracker error #",
            "^ tracker error $",
            "error from tracker",
            "error from the tracker",
            "^ d err ",
            "^ pl err ",
            "^ sl err ",
            "offline",
            " down ",
            "shut down",
            "shutdown",
            "overload",
            "too busy",
            " busy ",
            "database",
            " sql",
            "mysql",
            "postgres",
            " redis",
            "memcache",
            " db ",
            "internal error",
            "internal server error",
            "internal tracker error",
            "server error",
            "call back later",
            "try again later",
            "retry later",
            "temporarily",
            "not responding",
            "not working",
            "unreachable",
            "bad gateway",
            "could not be processed",
            "unable to process",
            "sysop",
            "regex error",
            "regular expression",
            "exception",
            "read only",
            "heavy load",
            "high load",
            "please try again",
            "backend",
            "deadlock",
            "out of memory",
        ],
    ),
    f(
        TrackerUnavailable,
        "tracker × closed",
        &[" tracker", " announce ", " site ", " server", " service"],
        &["disabled", "closed", "stopped", "paused"],
        Near::After(20),
    ),
    // A bare hexadecimal error code and nothing else ("Error: 0x0004"): a number from the
    // tracker's own code path, as "Tracker error 5" and "PL Err 1" above are. A refusal or a
    // malformed request names what the user should fix; a lone program code names nothing. The
    // one tracker seen sending such codes sends one for each failed query (and one, 0x1003, for
    // a peer its update did not find), so this family rests on one project: narrow on purpose.
    // Widened after the one blind scoring of heldout3-messages.tsv: QY-PT tracker
    // (QingyingPT/QY-PT-tracker announce.php) "Error: 0x0001", "Error: 0x0004" (each a failed
    // database query).
    f(
        TrackerUnavailable,
        "bare hexadecimal error code",
        &[
            "^ error 0x",
            "^ err 0x",
            "^ error code 0x",
            "^ tracker error 0x",
        ],
        &[" $"],
        Near::After(10),
    ),
    // Terse store and query failures: TBDev/NexusPHP "… error (select)"-style database errors,
    // chihaya's storage errors, Russian "Ошибка обновления peers данных.", Chinese
    // "错误：数据库连接失败".
    f(
        TrackerUnavailable,
        "store or query × failed",
        &[
            " select",
            " insert",
            " update",
            " delete",
            " query",
            " replace",
            " peers ",
            " peer store",
            " peerstore",
            " storage",
            " store ",
            " cache",
            " swarm",
            " write",
            " save",
            " fetch",
            " lock ",
            " commit",
            " transaction ",
            " connect ",
        ],
        &[
            " error",
            " err ",
            " failed",
            " failure",
            " fail ",
            "timed out",
            "timeout",
            "could not",
            "couldnt",
            "unable to",
            "cannot",
            "can not",
        ],
        Near::Either(12),
    ),
    alone(
        TrackerUnavailable,
        "tracker down (other languages)",
        &[
            "недоступ",
            "обслуживан",
            "техническ",
            "перегруж",
            "ошибка в обновлени",
            "ошибка обновлени",
            "ошибка при обновлени",
            "систем",
            "база данных",
            "базы данных",
            "обслуговуван",
            "база даних",
            "维护",
            "維護",
            "数据库",
            "資料庫",
            "服务器",
            "伺服器",
            "繁忙",
            "系统错误",
            "系統錯誤",
            "内部错误",
            "wartung",
            "nicht verfügbar",
            "überlastet",
            "indisponible",
            "manutenção",
            "indisponível",
            // General vocabulary (de, es, fr, pt, ru, zh), not taken from any row: the database,
            // internal and server errors, overload.
            "datenbank",
            "interner fehler",
            "serverfehler",
            "base de datos",
            "error interno",
            "error del servidor",
            "mantenimiento",
            "sobrecargad",
            "base de données",
            "erreur interne",
            "erreur du serveur",
            "erreur serveur",
            "surcharg",
            "banco de dados",
            "erro interno",
            "erro do servidor",
            "внутренняя ошибка",
            "ошибка сервера",
            "數據庫",
            "服務器",
            "服务端",
            "服務端",
            "后端",
            "後端",
            // Widened after the one blind scoring of heldout5-messages.tsv: Laguna
            // (SloveniaEngineering/laguna-backend crates/laguna-backend-api/src/error/peer.rs)
            // "Napaka v PB." (error in the database: PB is "podatkovna baza", as " db " above).
            " pb ",
            // General vocabulary (sl, hr, sr, pl, cs, sk), not taken from any row: the database,
            // internal and server errors, maintenance.
            "podatkovn",
            "baza podataka",
            "baze podataka",
            "bazi podataka",
            "база података",
            "baza danych",
            "bazy danych",
            "bazie danych",
            "databáz",
            "notranja napaka",
            "napaka strežnika",
            "napaka na strežniku",
            "interna greška",
            "unutarnja greška",
            "greška servera",
            "greška na serveru",
            "wewnętrzny błąd",
            "błąd serwera",
            "interní chyba",
            "chyba serveru",
            "vzdrževanj",
            "održavanj",
            "przerwa techniczna",
            "údržb",
        ],
    ),
    // Widened after the one blind scoring of heldout2-messages.tsv: TBDev.net "Ошибка peers
    // (insert)."; tjupt "删除P表失败", "插入P表失败".
    f(
        TrackerUnavailable,
        "store or query × failed (ru, zh)",
        &[
            "ошибка",
            "не удалось",
            "сбой",
            "连接",
            "查询",
            "写入",
            "更新",
            "读取",
            "缓存",
            "連接",
            "查詢",
            "寫入",
            "插入",
            "删除",
            "表",
            "讀取",
        ],
        &[
            " select",
            " insert",
            " update",
            " delete",
            " peers ",
            "обнов",
            "запрос",
            "выборк",
            "вставк",
            "запис",
            "подключ",
            "соедин",
            "таблиц",
            " бд ",
            "失败",
            "失敗",
            "错误",
            "錯誤",
            "异常",
            "異常",
            "超时",
        ],
        Near::Either(20),
    ),
    // --- 7. a malformed announce -----------------------------------------------------------
    // The announce URL called invalid or wrong, without a request to re-download the torrent
    // (part 2): an announce to a URL the tracker cannot use is a malformed announce
    // (docs/metrics.md, bad_request), not a refusal of the user.
    // Widened after the one blind scoring of heldout5-messages.tsv: a Rust tracker library's
    // error enum (code search) "invalid announce URL" (InvalidAnnounceUrl), which the fourth
    // set's "announce URL × invalid" read as a refusal; the subjects and verdicts are the ones
    // that family had, general vocabulary (en, zh).
    f(
        BadRequest,
        "announce URL × invalid",
        ANNOUNCE_URL,
        &[
            "不合法",
            "非法",
            "无效",
            "無效",
            "不正确",
            "不正確",
            " invalid",
            " not valid",
            " incorrect",
            " wrong",
            " not a valid",
            " malformed",
            "地址错误",
            "地址錯誤",
            "地址有误",
            "地址有誤",
        ],
        Near::Either(8),
    ),
    // The data the client sent called bad, invalid or negative: its request, not a refusal of
    // the client (after the credential and client families: "invalid passkey data" stays the
    // passkey's).
    // Widened after the one blind scoring of heldout5-messages.tsv: an English Laravel announce
    // (code search) "Bad Data from client"; a Brazilian Portuguese Laravel tracker (code search)
    // "Dados do cliente estao negativo. Reinicie seu programa". The other languages' words for
    // data and its verdicts are general vocabulary (en, pt, es, fr, de, ru, sl, hr, pl, cs, zh).
    f(
        BadRequest,
        "client's data × bad or negative",
        &[
            " data ",
            " dados ",
            " datos ",
            " données ",
            " daten ",
            "данные",
            "данных",
            " podatki ",
            " podatkov",
            " podaci ",
            " podataka ",
            " dane ",
            " danych ",
            " údaje ",
            "数据",
            "數據",
        ],
        &[
            " bad",
            "invalid",
            "inválid",
            "ungültig",
            "fehlerhaft",
            "incorrect",
            "incorret",
            "wrong",
            "malformed",
            "corrupt",
            "garbage",
            "negativ",
            "négati",
            "отрицательн",
            "неверн",
            "некоррект",
            "neveljav",
            "napačn",
            "ujemn",
            "nevažeć",
            "neispravn",
            "nieprawidłow",
            "neplatn",
            "záporn",
            "错误",
            "錯誤",
            "无效",
            "無效",
            "非法",
            "为负",
            "為負",
        ],
        Near::Either(30),
    ),
    // UNIT3D "Invalid user-agent !", "key: info_hash is Missing !", "Illegal port 0 …",
    // "Unsupported Event type …"; Ocelot "Malformed announce", "GET string too short", "Invalid
    // action", "No peer ID"; chihaya (bittorrent/params.go) "provided invalid infohash", "invalid
    // query escape", "failed to parse parameter: left"; opentracker "Invalid parameter";
    // TorrentPier "peer_id was not provided", "Please disable SCRAPE!"; NexusPHP "Missing key:
    // port", "cookie value is expired"; UNIT3D-Announce "Invalid 'numwant' (must be greater
    // than or equal to 0)."; Russian "Неверный порт", "Отсутствует info_hash", "Нет ключа в:
    // port"; Chinese 无效/缺少; webtorrent/bittorrent-tracker "udp tracker does not support IPv6";
    // aquatic "received packet is too short"; a Go tracker for a PHPWind forum
    // "错误：客户端发送未知状态" (an unknown event); Ukrainian "Відсутній параметр".
    alone(
        BadRequest,
        "announce × malformed",
        &[
            "missing",
            "invalid",
            "malformed",
            "illegal",
            "bad request",
            "not provided",
            "user agent",
            "peer id",
            "peerid",
            "info hash",
            "infohash",
            " port ",
            " ports ",
            " event",
            " numwant",
            " uploaded ",
            " downloaded ",
            " ipv4",
            " ipv6",
            "negative",
            // General vocabulary (pt, es, it, de, sl, hr, fr, ru, uk, pl, cs, zh), not taken from
            // any row: a counter below zero.
            "negativ",
            "négati",
            "отрицательн",
            "відємн",
            "ujemn",
            "záporn",
            "为负",
            "為負",
            "负数",
            "負數",
            "too short",
            "too long",
            "parameter",
            " param ",
            " params ",
            " query",
            "^ client error ",
            "only understands get",
            "http get",
            " scrape",
            "should announce to",
            "does not support",
            "doesnt support",
            "do not support",
            "dont support",
            "not supported",
            "unsupported",
            "must be",
            "should be between",
            "not a number",
            "not numeric",
            "non numeric",
            "not an integer",
            "out of range",
            "bytes long",
            " packet",
            " cookie",
            " escape",
            " encoding",
            "неверн",
            "невірн",
            "отсутству",
            "відсутн",
            "нет ключа",
            "порт",
            "параметр",
            "无效",
            "無效",
            "缺少",
            "参数",
            "參數",
            "端口",
            "非法",
            "事件",
            "未知状态",
            "未知狀態",
            "ungültig",
            "fehlend",
            "invalide",
            "manquant",
            "inválid",
        ],
    ),
    // What the client sent called wrong, invalid or undefined: its request, not a refusal.
    // Widened after the one blind scoring of heldout4-messages.tsv: a Discuz! X BT plugin for the
    // SKM forum (code search) "BT客户端发送了错误的数据。"; the English and other Chinese wordings
    // are general vocabulary.
    f(
        BadRequest,
        "sent × wrong data",
        &[
            "发送",
            "發送",
            "提交",
            "传递",
            "傳遞",
            " sent",
            " sends",
            " submitted",
        ],
        &[
            "错误",
            "錯誤",
            "无效",
            "無效",
            "非法",
            "未定义",
            "未定義",
            "未知",
            "不正确",
            "不正確",
            " invalid",
            " malformed",
            " bad ",
            " wrong",
            " corrupt",
            " garbage",
            " unexpected",
        ],
        Near::After(10),
    ),
    // General vocabulary (zh, es, fr, de, pt), not taken from any row: a request or its data
    // called wrong or malformed.
    alone(
        BadRequest,
        "request × malformed (other languages)",
        &[
            "请求错误",
            "請求錯誤",
            "错误的请求",
            "錯誤的請求",
            "请求格式",
            "請求格式",
            "格式错误",
            "格式錯誤",
            "parámetro",
            "solicitud incorrecta",
            "petición incorrecta",
            "mal formad",
            "malformad",
            "requête incorrecte",
            "mal formé",
            "paramètre",
            "fehlerhafte anfrage",
            "ungültige anfrage",
            "parâmetro",
            "requisição inválida",
            "некорректный запрос",
            "неправильный запрос",
        ],
    ),
    f(
        BadRequest,
        "left × beyond the size",
        &[" left "],
        &["超过", "大于", "exceed", "greater than", "larger than"],
        Near::After(10),
    ),
    // A request or action the tracker does not understand, and a peer it does not hold (a stop
    // or an update from a peer that never started): the client's request is at fault. Not
    // chihaya's "resource does not exist" (kept as it was classed, above).
    // Widened after the one blind scoring of heldout3-messages.tsv: spbt (xakep7/spbt
    // tracker.py) "Incorrect request"; rartracker (swetorrentking/rartracker tracker.php)
    // "Unknown action.", "Client sent stop, but peer not found!"; openTracker
    // (thetooi/openTracker announce.php) "Peer not found".
    f(
        BadRequest,
        "request or action × not understood",
        &[" request", " action", " method", " command"],
        &[
            "incorrect",
            "wrong",
            "unknown",
            "unrecognized",
            "unrecognised",
            "unsupported",
            "not understood",
            "illegal",
            "invalid",
        ],
        Near::Either(3),
    ),
    f(
        BadRequest,
        "peer × not held",
        &[" peer "],
        &[
            "not found",
            "unknown",
            "not exist",
            "doesnt exist",
            "no such",
            "could not be found",
            // General vocabulary (sl, hr, pl, cs), not taken from any row: the absent torrent's
            // words said of a peer.
            "ne obstaja",
            "ni najden",
            "ni bil najden",
            "ne postoji",
            "nije pronađen",
            "nie istnieje",
            "nie znaleziono",
            "neexistuje",
            "nenalezen",
        ],
        Near::Either(12),
    ),
    // --- 8. the user told they may not, said in no words above ------------------------------
    // A message addressed to the user ("you", "your") that says they cannot, may not, have run
    // out or are switched off is a refusal of the user, unless a family above read it as the
    // torrent absent, the tracker's trouble, announcing too often or a malformed request: last,
    // so that those win.
    // Widened after the one blind scoring of heldout3-messages.tsv: ppkBB3cker (a phpBB tracker
    // mod by PPK, tracker/announce2.php) "Sorry, you can't download torrents", "You can't use
    // tracker"; phpMyBitTorrent (joeroberts234/phpMyBitTorrent announce.php) "You can't download
    // so much. Wait for your uploads to reach minimum limit and try again".
    f(
        AccessDenied,
        "you × may not",
        // " you" is also the start of "your", "youre", "youve"; each verdict starts with its
        // own space.
        &[" you"],
        &[
            " cant ",
            " cannot ",
            " can not ",
            " may not ",
            " not allow",
            " not able to ",
            " not permitted",
            " disabled",
            " run out",
            " ran out",
            " no right",
            " no permission",
            " not entitled",
            " not eligible",
            " revoked",
            " suspended",
            " restricted",
            " barred",
            " blocked",
            " only allowed",
        ],
        Near::Either(30),
    ),
];
