/* SPDX-License-Identifier: GPL-2.0 */
/* The two receiving threads of a link (see receiver.c). */
#ifndef HD_RECEIVER_H
#define HD_RECEIVER_H

int hd_receiver_fn(void *arg);
int hd_asender_fn(void *arg);

#endif /* HD_RECEIVER_H */
