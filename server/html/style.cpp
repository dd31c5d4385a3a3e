#include "server/html/style.hpp"

namespace civicpub::server::html {
namespace {

// Mobile-first: the base rules are for a ~360px wide phone, the one media query widens type and
// indentation on larger screens. Every text colour reaches at least 6.5:1 against every
// background it is used on, in both schemes (WCAG AA asks for 4.5:1).
// Reply nesting costs 1rem per level on a phone; post_page.cpp stops indenting after six levels
// so the text column never gets narrower than about two thirds of the screen.
constexpr std::string_view kStylesheet = R"css(
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1f;--muted:#4a4f57;--link:#0b57a4;
--surface:#f3f4f6;--border:#c9ced6;--current:#fff6d5;--accent:#9a6700;--focus:#1d6fd1}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e9eaec;--muted:#b4b9c0;
--link:#9ccaff;--surface:#1f2328;--border:#3d434c;--current:#2b2612;--accent:#e3b341;
--focus:#9ccaff}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);
font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Ubuntu,Cantarell,
"Helvetica Neue",Arial,sans-serif}
a{color:var(--link)}
a:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:.5rem;top:.5rem;z-index:1;background:var(--bg);padding:.5rem}
.site-header,main,.site-footer{max-width:42rem;margin:0 auto;padding-left:1rem;padding-right:1rem}
.site-header{padding-top:.75rem;padding-bottom:.75rem;border-bottom:1px solid var(--border)}
.site-header a{font-weight:700;font-size:1.1rem;color:var(--fg);text-decoration:none}
.site-header a:hover{text-decoration:underline}
main{display:block;padding-top:1rem;padding-bottom:2rem}
.site-footer{border-top:1px solid var(--border);padding-top:1rem;padding-bottom:2rem;
color:var(--muted);font-size:.9rem}
.site-footer p{margin:.25rem 0}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;line-height:1.3;margin:1.75rem 0 .5rem}
p{margin:.5rem 0}
.muted{color:var(--muted)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;
font-size:.95em;background:var(--surface);border:1px solid var(--border);border-radius:4px;
padding:.05em .3em;overflow-wrap:anywhere}
.handle{color:var(--muted);overflow-wrap:anywhere}
.handle code{color:var(--fg);user-select:all;-webkit-user-select:all}
.badge{display:inline-block;font-size:.8rem;font-weight:600;line-height:1.4;padding:.05rem .55rem;
border:1px solid var(--border);border-radius:999px;background:var(--surface);color:var(--fg)}
.summary{margin:1rem 0;overflow-wrap:anywhere}
.counts{list-style:none;padding:0;margin:1rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.counts strong{font-size:1.1rem}
.box{background:var(--surface);border:1px solid var(--border);border-radius:8px;
padding:.25rem 1rem .75rem;margin:1.5rem 0}
.box h2{margin-top:.75rem}
.box ol{padding-left:1.25rem;margin:.5rem 0}
.box li{margin:.35rem 0}
.posts,.replies,.accounts{list-style:none;margin:0;padding:0}
.post{border-bottom:1px solid var(--border);padding:.75rem .25rem}
.post>header{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 .5rem}
.post .name{font-weight:600;color:var(--fg)}
.post .handle{font-size:.9rem}
.content{overflow-wrap:anywhere}
.content p:first-child{margin-top:.25rem}
.post>footer{font-size:.9rem;color:var(--muted)}
.post>footer a{color:inherit}
details{margin:.5rem 0}
summary{cursor:pointer;font-weight:600}
summary .hint{font-weight:400;color:var(--muted)}
.post[aria-current]{background:var(--current);border-left:4px solid var(--accent);
padding-left:.6rem}
.post.deleted{font-style:italic;color:var(--muted)}
.replies .replies{margin-left:.5rem;padding-left:.5rem;border-left:2px solid var(--border)}
.replies .replies.flat{margin-left:0;padding-left:0;border-left:0}
.more{padding:.5rem .25rem}
.accounts li{padding:.6rem 0;border-bottom:1px solid var(--border)}
.accounts a{font-weight:600}
.results{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.results svg{max-width:100%;height:auto}
.results .bar{fill:var(--link)}
.results .bar.others{fill:var(--accent)}
.results text{fill:var(--fg);font-size:13px}
.results table{border-collapse:collapse}
.results th,.results td{border-bottom:1px solid var(--border);padding:.25rem .5rem;text-align:left}
.results td.n{text-align:right;font-variant-numeric:tabular-nums}
.state{font-weight:600}
.answer{border:2px solid var(--accent);border-radius:8px;padding:0 .75rem;margin:1rem 0}
nav.pages{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;margin:1.25rem 0}
@media (min-width:40rem){h1{font-size:2rem}
.replies .replies{margin-left:1rem;padding-left:.75rem}}
)css";

}  // namespace

std::string_view stylesheet() {
  return kStylesheet;
}

}  // namespace civicpub::server::html
