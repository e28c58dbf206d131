#!/usr/bin/env python3
"""Builds a throwaway program against cachet the way README's "Use it from your build" says,
and runs it.

Usage: use_it.py WAY SOURCE_ROOT BUILD_ROOT
  WAY: pkg-config, cmake-find-package, cmake-pkg-config or meson-subproject

The README's snippet for WAY (the code block after "<!-- use-it: WAY -->") is what gets built,
so the README cannot drift from what works. The first three install the build into a
temporary prefix (meson install --destdir) and look only there: a cachet installed in
/usr/local must not be what they find. The last copies nothing: the throwaway project has
cachet as its subproject, and must build cachet's library and nothing else of it.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

way, source_root, build_root = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
expected_output = r"^home: 3 hits; ana was last on home for 42 s$"


def fail(message):
    sys.exit(f"use_it.py {way}: {message}")


def run(command, cwd, env, quiet=False, **kwargs):
    """Runs a command, shows it and (unless quiet: machine-readable output) what it printed."""
    print("+", command if isinstance(command, str) else " ".join(command), flush=True)
    result = subprocess.run(command, cwd=cwd, env=env, text=True, capture_output=True, **kwargs)
    if not quiet or result.returncode != 0:
        sys.stdout.write(result.stdout)
    sys.stdout.write(result.stderr)
    if result.returncode != 0:
        fail(f"{command} exited with {result.returncode}")
    return result.stdout


def readme_snippet(name):
    with open(os.path.join(source_root, "README.md")) as f:
        readme = f.read()
    match = re.search(r"<!-- use-it: " + re.escape(name) + r" -->\s*```[a-z]*\n(.*?)```", readme, re.DOTALL)
    if not match:
        fail(f'README.md has no code block after "<!-- use-it: {name} -->"')
    return match.group(1)


def library_in(program, env):
    """The libcachet the dynamic loader picks for the program."""
    for line in run(["ldd", program], None, env, quiet=True).splitlines():
        if "libcachet" in line:
            return os.path.realpath(line.split("=>")[1].split()[0])
    fail(f"{program} is not linked to libcachet")


def check_program(program, env, library_dir):
    output = run([program], None, env)
    if not re.search(expected_output, output, re.MULTILINE):
        fail(f"{program} printed {output!r}, not {expected_output!r}")
    library = library_in(program, env)
    if not library.startswith(os.path.realpath(library_dir) + os.sep):
        fail(f"{program} runs with {library}, not the libcachet under {library_dir}")


with tempfile.TemporaryDirectory(prefix="cachet-use-it.") as work:
    app = os.path.join(work, "app")
    os.mkdir(app)
    shutil.copy(os.path.join(source_root, "tests", "install", "app.cpp"), app)
    env = dict(os.environ, CACHET_ENV="development")
    for variable in ("CACHET_URL", "CACHET_TEST_URL", "PKG_CONFIG_PATH", "CMAKE_PREFIX_PATH", "LD_LIBRARY_PATH"):
        env.pop(variable, None)

    if way == "meson-subproject":
        # The user's project: cachet in subprojects/cachet, the README's meson.build.
        os.mkdir(os.path.join(app, "subprojects"))
        os.symlink(source_root, os.path.join(app, "subprojects", "cachet"))
        with open(os.path.join(app, "meson.build"), "w") as f:
            f.write(readme_snippet(way))
        build = os.path.join(work, "build")
        # An installed cachet would be found first: the subproject is what is tested here. At -O0
        # and without debug info, since what is tested is what gets built and that it links, and
        # it compiles three times faster.
        run(["meson", "setup", build, app, "--force-fallback-for=cachet", "-Doptimization=0", "-Ddebug=false"], app, env)
        targets = json.loads(run(["meson", "introspect", "--targets", build], None, env, quiet=True))
        programs = sorted(t["name"] for t in targets if t["type"] == "executable")
        if programs != ["app"]:
            fail(f"as a subproject cachet must build its library only, but the build has the programs {programs}")
        tests = json.loads(run(["meson", "introspect", "--tests", build], None, env, quiet=True))
        if tests:
            fail(f"as a subproject cachet must add no tests, but it adds {[t['name'] for t in tests]}")
        run(["ninja", "-C", build, "-j1"], None, env)
        check_program(os.path.join(build, "app"), env, os.path.join(build, "subprojects"))
        sys.exit(0)

    # Install into a temporary prefix, as `meson install` would into the real one.
    stage = os.path.join(work, "stage")
    run(["meson", "install", "-C", build_root, "--no-rebuild", "--quiet", "--destdir", stage], None, env)
    options = {o["name"]: o["value"] for o in json.loads(run(["meson", "introspect", "--buildoptions", build_root], None, env, quiet=True))}
    prefix = stage + options["prefix"]
    libdir = os.path.join(prefix, options["libdir"])
    pc_file = os.path.join(libdir, "pkgconfig", "cachet.pc")
    with open(pc_file) as f:
        if "${pcfiledir}" not in f.read():
            fail(f"{pc_file} names its prefix absolutely: the build directory predates the project's "
                 "default -Dpkgconfig.relocatable=true; meson configure it so")
    # pkg-config sees the temporary prefix and the system's own packages, never /usr/local.
    system_paths = run(["pkg-config", "--variable", "pc_path", "pkg-config"], None, env, quiet=True).strip().split(":")
    env["PKG_CONFIG_LIBDIR"] = ":".join([os.path.join(libdir, "pkgconfig")] +
                                        [p for p in system_paths if not p.startswith("/usr/local")])

    if way == "pkg-config":
        for line in readme_snippet(way).splitlines():
            if line.strip() and not line.startswith("meson install"):  # installed above, into the temporary prefix
                run(line, app, dict(env, LD_LIBRARY_PATH=libdir), shell=True)
        check_program(os.path.join(app, "app"), dict(env, LD_LIBRARY_PATH=libdir), libdir)
    elif way in ("cmake-find-package", "cmake-pkg-config"):
        with open(os.path.join(app, "CMakeLists.txt"), "w") as f:
            f.write(readme_snippet(way))
        build = os.path.join(work, "build")
        run(["cmake", "-S", app, "-B", build, "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF"],
            None, env)
        if way == "cmake-find-package":
            with open(os.path.join(build, "CMakeCache.txt")) as f:
                found = re.search(r"^cachet_DIR:PATH=(.*)$", f.read(), re.MULTILINE)
            if not found or found.group(1) != os.path.join(libdir, "cmake", "cachet"):
                fail(f"find_package found {found.group(1) if found else 'nothing'}, not the temporary install")
        run(["cmake", "--build", build, "-j", "1"], None, env)
        check_program(os.path.join(build, "app"), env, libdir)
    else:
        fail("WAY must be pkg-config, cmake-find-package, cmake-pkg-config or meson-subproject")
