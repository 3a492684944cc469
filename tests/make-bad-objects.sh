#!/bin/bash
# make-bad-objects.sh OUTDIR [GOOD_OBJECT]
#
# Writes broken variants of a good BPF object (default
# build/progs/demo.bpf.o: it has a program section with relocations,
# .maps, .rodata, license, .BTF and .BTF.ext) into OUTDIR, one file per
# defect, named after it. Every one must make a loader fail with one clear
# error: tests/integration/bad_input.sh runs bpfbox on them.
#
# Files whose name starts with btf_ break .BTF or .BTF.ext: the expected
# error names BTF. The list of files is printed, one a line.
set -eu
OUT=${1:?usage: make-bad-objects.sh OUTDIR [GOOD_OBJECT]}
GOOD=${2:-build/progs/demo.bpf.o}
[ -f "$GOOD" ] || { echo "make-bad-objects: $GOOD missing (make progs)" >&2; exit 2; }
mkdir -p "$OUT"

exec python3 - "$GOOD" "$OUT" <<'EOF'
import os, shutil, struct, sys

good_path, out = sys.argv[1], sys.argv[2]
good = open(good_path, 'rb').read()
made = []

def emit(name, data):
    path = os.path.join(out, name + '.bpf.o')
    with open(path, 'wb') as f:
        f.write(data)
    made.append(path)

# --- ELF64 little-endian layout -----------------------------------------
EHDR = '<16sHHIQQQIHHHHHH'      # e_ident .. e_shstrndx
SHDR = '<IIQQQQIIQQ'            # sh_name type flags addr offset size link info addralign entsize
SHDR_SIZE = 64
(ident, e_type, e_machine, e_version, e_entry, e_phoff, e_shoff, e_flags,
 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum,
 e_shstrndx) = struct.unpack_from(EHDR, good, 0)
assert ident[:4] == b'\x7fELF' and e_machine == 247, 'not a BPF object'

def shdr(i):
    return list(struct.unpack_from(SHDR, good, e_shoff + i * SHDR_SIZE))

def shdr_off(i):
    return e_shoff + i * SHDR_SIZE

shstr = shdr(e_shstrndx)
def sec_name(s):
    start = shstr[4] + s[0]
    return good[start:good.index(b'\0', start)].decode()

sections = {sec_name(shdr(i)): (i, shdr(i)) for i in range(e_shnum)}

def patch(data, off, fmt, *vals):
    b = bytearray(data)
    struct.pack_into(fmt, b, off, *vals)
    return bytes(b)

def patch_shdr(idx, field, value):
    s = shdr(idx)
    s[field] = value
    return patch(good, shdr_off(idx), SHDR, *s)

def section(name):
    return sections[name]

# program section: the one that holds the code of count_execs
prog_idx = next(i for n, (i, s) in sections.items()
                if s[1] == 1 and s[2] & 0x4 and s[5] > 0)   # PROGBITS, EXECINSTR
rel_idx = next(i for n, (i, s) in sections.items()
               if s[1] == 9 and s[7] == prog_idx)           # SHT_REL for it
symtab_idx, symtab = section('.symtab')
strtab_idx, strtab = section('.strtab')
btf_idx, btf = section('.BTF')
ext_idx, ext = section('.BTF.ext')

# --- the file as a whole ----------------------------------------------------
emit('empty', b'')
for n in (1, 4, 16, 63, 64, 200):
    emit('truncated_%d' % n, good[:n])
emit('truncated_half', good[:len(good) // 2])
emit('truncated_minus1', good[:-1])
emit('bad_elf_magic', b'\x7fELG' + good[4:])
emit('elfclass32', patch(good, 4, '<B', 1))
emit('big_endian', patch(good, 5, '<B', 2))
emit('wrong_machine', patch(good, 18, '<H', 62))          # EM_X86_64
emit('not_relocatable', patch(good, 16, '<H', 2))         # ET_EXEC
shutil.copyfile('/bin/true', os.path.join(out, 'not_bpf_bin_true.bpf.o'))
made.append(os.path.join(out, 'not_bpf_bin_true.bpf.o'))
emit('text_file', b'this is not an ELF file\n' * 10)

# --- ELF header fields pointing nowhere --------------------------------------
emit('shoff_out_of_range', patch(good, 40, '<Q', len(good) + 4096))
emit('shoff_overflow', patch(good, 40, '<Q', 0xfffffffffffffff0))
emit('shnum_huge', patch(good, 60, '<H', 0xfff0))
emit('shentsize_bad', patch(good, 58, '<H', 12))
emit('shstrndx_out_of_range', patch(good, 62, '<H', e_shnum + 5))

# --- sections ----------------------------------------------------------------
emit('section_beyond_eof', patch_shdr(prog_idx, 4, len(good) + 64))
emit('section_size_overflow', patch_shdr(prog_idx, 5, 0xffffffffffffff00))
emit('prog_size_not_insn_multiple', patch_shdr(prog_idx, 5, shdr(prog_idx)[5] - 4))
emit('section_name_out_of_range', patch_shdr(prog_idx, 0, 0x7fffffff))
emit('strtab_unterminated', patch(good, strtab[4] + strtab[5] - 1, '<B', 0x41))
if e_shstrndx != strtab_idx:       # clang keeps both in .strtab
    emit('shstrtab_unterminated', patch(good, shstr[4] + shstr[5] - 1, '<B', 0x41))
emit('symtab_entsize_bad', patch_shdr(symtab_idx, 5, symtab[5] - 5))

# the program's symbol: STT_FUNC in the program section
SYM = '<IBBHQQ'
nsyms = symtab[5] // 24
func_sym = next(i for i in range(nsyms)
                if struct.unpack_from(SYM, good, symtab[4] + i * 24)[3] == prog_idx
                and struct.unpack_from(SYM, good, symtab[4] + i * 24)[1] & 0xf == 2)
sym_off = symtab[4] + func_sym * 24
name, info, other, shndx, value, size = struct.unpack_from(SYM, good, sym_off)
emit('symbol_section_out_of_range', patch(good, sym_off, SYM, name, info, other, 0x7fff, value, size))
emit('symbol_name_out_of_range', patch(good, sym_off, SYM, 0x7fffffff, info, other, shndx, value, size))
emit('symbol_beyond_section', patch(good, sym_off, SYM, name, info, other, shndx, 0x100000, size))

# the first relocation of the program
rel = shdr(rel_idx)
r_offset, r_info = struct.unpack_from('<QQ', good, rel[4])
emit('reloc_symbol_out_of_range', patch(good, rel[4], '<QQ', r_offset, (0xffffff << 32) | (r_info & 0xffffffff)))
emit('reloc_offset_out_of_range', patch(good, rel[4], '<QQ', 0x7ffffff8, r_info))
emit('reloc_offset_misaligned', patch(good, rel[4], '<QQ', r_offset + 3, r_info))
emit('reloc_target_section_bad', patch_shdr(rel_idx, 7, e_shnum + 3))

# --- .BTF ----------------------------------------------------------------------
b0 = btf[4]
magic, ver, flags, hdr_len, type_off, type_len, str_off, str_len = \
    struct.unpack_from('<HBBIIIII', good, b0)
types0 = b0 + hdr_len + type_off
strs0 = b0 + hdr_len + str_off
emit('btf_bad_magic', patch(good, b0, '<H', 0x9feb))
emit('btf_bad_version', patch(good, b0 + 2, '<B', 7))
emit('btf_hdr_len_huge', patch(good, b0 + 4, '<I', 0xffffff00))
emit('btf_type_len_out_of_range', patch(good, b0 + 12, '<I', 0x7fffffff))
emit('btf_str_off_out_of_range', patch(good, b0 + 16, '<I', 0xfffffff0))
emit('btf_str_len_out_of_range', patch(good, b0 + 20, '<I', 0x7fffffff))
emit('btf_strings_unterminated', patch(good, strs0 + str_len - 1, '<B', 0x78))
emit('btf_types_garbage', good[:types0] + b'\xff' * type_len + good[types0 + type_len:])
# first type: name_off, info (kind in bits 24-28, vlen in bits 0-15), size/type
t_name, t_info, t_size = struct.unpack_from('<III', good, types0)
emit('btf_bad_kind', patch(good, types0 + 4, '<I', (t_info & ~(0x1f << 24)) | (0x1f << 24)))
emit('btf_type_name_out_of_range', patch(good, types0, '<I', 0x7ffffff0))
emit('btf_truncated_section', patch_shdr(btf_idx, 5, btf[5] // 2))

# --- .BTF.ext --------------------------------------------------------------------
e0 = ext[4]
(emagic, ever, eflags, ehdr_len, fi_off, fi_len,
 li_off, li_len) = struct.unpack_from('<HBBIIIII', good, e0)
fi0 = e0 + ehdr_len + fi_off
emit('btf_ext_bad_magic', patch(good, e0, '<H', 0x1234))
emit('btf_ext_hdr_len_huge', patch(good, e0 + 4, '<I', 0xfffffff0))
emit('btf_ext_func_info_len_out_of_range', patch(good, e0 + 12, '<I', 0x7ffffff0))
emit('btf_ext_line_info_off_out_of_range', patch(good, e0 + 16, '<I', 0x7ffffff0))
emit('btf_ext_rec_size_zero', patch(good, fi0, '<I', 0))
emit('btf_ext_rec_size_odd', patch(good, fi0, '<I', 3))
# first func_info block: sec_name_off, num_info
emit('btf_ext_num_info_huge', patch(good, fi0 + 8, '<I', 0x7fffffff))
emit('btf_ext_sec_name_out_of_range', patch(good, fi0 + 4, '<I', 0x7ffffff0))

for p in made:
    print(p)
EOF
