#!/bin/bash
# hsm-speed.sh -- the raw SoftHSMv2 signing rate (the limit for any PKCS#11
# signer, SPEC section 9) with 1, 2 and N threads, interleaved with the same
# through our HSM layer (ods_hsm_sign) to show its overhead.
#
# usage: bench/hsm-speed.sh [-s SECONDS] [-r ROUNDS] [-a ALG] [THREADS...]
#   -s SECONDS  one slice (default 2); -r ROUNDS slices per mode (default 5)
#   -a ALG      13 ECDSA P-256 (default), 14 ECDSA P-384, 8 RSA 2048, 15 Ed25519
#   THREADS     thread counts (default: 1 2 and twice the CPUs)
# Each thread has its own session (raw) or ods_hsm_ctx_t (ods). Raw and ods
# slices alternate, so load from elsewhere hits both alike.
. "$(dirname "$0")/lib.sh"

SECS=2 ROUNDS=5 ALG=13
while getopts s:r:a:h opt; do
    case $opt in
    s) SECS=$OPTARG ;;
    r) ROUNDS=$OPTARG ;;
    a) ALG=$OPTARG ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
THREADS=("$@")
[ ${#THREADS[@]} -gt 0 ] || mapfile -t THREADS < <(printf '%s\n' 1 2 $(($(nproc) * 2)) | awk '!seen[$0]++')
case $ALG in
13) KT=EC:prime256v1 ;; 14) KT=EC:secp384r1 ;; 8) KT=rsa:2048 ;; 15) KT=EC:edwards25519 ;;
*) b_die "algorithm $ALG: use 8, 13, 14 or 15" ;;
esac

b_setup hsm-speed
KEY=$(b_keygen "$KT") || b_die "key generation failed"
echo "# hsm-speed $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(b_load) at start"
echo "# SoftHSMv2 $(dpkg-query -W -f='${Version}' softhsm2 2> /dev/null), algorithm $ALG ($KT)"
"$HSMSPEED" -m "$MODULE" -t Bench -p "$PIN" -k "$KEY" -a "$ALG" -s "$SECS" -r "$ROUNDS" "${THREADS[@]}" \
    || b_die "hsm-speed failed"
echo "# overhead = (raw - ods) / raw; raw = C_SignInit + C_Sign on the digest; ods = ods_hsm_sign"
echo "# (SHA digest of 150 bytes in OpenSSL + the same calls). Load at end: $(b_load)"
