#include <stddef.h>

#include "pools.h"
#include "rng.h"
#include "utf8.h"

#define POOLS_NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define TEXT(s)		{ (s), sizeof(s) - 1, 0 }
#define POOLS_POOL(a)	{ (a), POOLS_NELEM(a) }

const char *const pools_char_names[POOLS_C__MAX] = {
	[POOLS_C_FIT] = "Fit", [POOLS_C_LENGTH] = "Length",
	[POOLS_C_SIZE] = "Size", [POOLS_C_WIDTH] = "Width",
	[POOLS_C_COMFORT] = "Comfort", [POOLS_C_QUALITY] = "Quality",
};

/*
 * The categories, their weights adding up to 1000.  pools.h declares how
 * many there are, so a category more or fewer here does not compile.
 */
const struct pools_cat pools_cats[] = {
	/* 0 clothing */ { 420, 4, -1, 2,
	    { POOLS_C_FIT, POOLS_C_LENGTH, POOLS_C_COMFORT, POOLS_C_QUALITY } },
	/* 1 shoes */ { 280, 4, -1, 3,
	    { POOLS_C_SIZE, POOLS_C_WIDTH, POOLS_C_COMFORT, POOLS_C_QUALITY } },
	/* 2 outerwear */ { 40, 3, 0, 4,
	    { POOLS_C_FIT, POOLS_C_LENGTH, POOLS_C_QUALITY, 0 } },
	/* 3 hats */ { 40, 3, 1, 4,
	    { POOLS_C_SIZE, POOLS_C_COMFORT, POOLS_C_QUALITY, 0 } },
	/* 4 bags */ { 90, 2, 3, 5,
	    { POOLS_C_COMFORT, POOLS_C_QUALITY, 0, 0 } },
	/* 5 accessories */ { 130, 1, 4, -1,
	    { POOLS_C_QUALITY, 0, 0, 0 } },
};

static struct pools_text pools_body_pos[] = {
	TEXT("I love this, it's exactly what I was looking for."),
	TEXT("This product was great!"),
	TEXT("The fabric is soft, breathable, and holds its shape after washing."),
	TEXT("Fits true to size and looks even better in person."),
	TEXT("I've worn it almost every day since it arrived."),
	TEXT("Got so many compliments the first time I wore it."),
	TEXT("Comfortable and practical."),
	TEXT("The color is rich and hasn't faded at all, even after a dozen washes."),
	TEXT("Honestly the best purchase I've made this year."),
	TEXT("My husband stole mine, so I had to order a second one."),
	TEXT("The stitching is neat, the zipper is sturdy, and the pockets are deep."),
	TEXT("Worth every penny."),
	TEXT("I was skeptical at first, but it won me over within a week."),
	TEXT("It arrived early and was packed beautifully."),
	TEXT("I'd call it \"perfect\" without hesitation."),
	TEXT("Light enough for summer, warm enough for a chilly evening."),
	TEXT("Ordered a second color right away."),
	TEXT("The \"relaxed fit\" really is relaxed, in the best way."),
	TEXT("Great value for the quality, five stars from me."),
	TEXT("My feet don't hurt at all after a full day of walking."),
};

static struct pools_text pools_body_neg[] = {
	TEXT("Unfortunately it fell apart after two weeks."),
	TEXT("The color in the photos is nothing like what I received."),
	TEXT("Runs very small, so order at least one size up."),
	TEXT("The material feels cheap and scratchy against the skin."),
	TEXT("I returned it, and the refund took almost a month."),
	TEXT("The seams started to unravel after the first wash."),
	TEXT("Not worth the price, sadly."),
	TEXT("It smelled like chemicals when I opened the box."),
	TEXT("The \"waterproof\" coating lasted exactly one rainstorm."),
	TEXT("Way too tight in the shoulders, way too loose at the waist."),
	TEXT("The sole started peeling off, which is frustrating."),
	TEXT("Customer service was polite, but they couldn't fix the problem."),
	TEXT("I wanted to love it, I really did."),
	TEXT("It pilled badly after a few wears."),
	TEXT("The strap broke on the second day, and the buckle is flimsy."),
	TEXT("Disappointed."),
	TEXT("The sizing chart is wrong, so don't trust it."),
	TEXT("Arrived with a stain on the front and a loose button."),
	TEXT("It's \"one size fits all\" only if you're one size."),
};

static struct pools_text pools_body_mid[] = {
	TEXT("I really did or did not like this product based on whether it "
	    "was sustainably sourced.  Then I found I really did."),
	TEXT("I bought this for a trip, and it did the job."),
	TEXT("I usually wear a medium, and the medium fit fine."),
	TEXT("Shipping took about a week."),
	TEXT("It's a bit heavier than I expected."),
	TEXT("I wear it mostly on weekends, for errands and walks."),
	TEXT("The color is closer to navy than black."),
	TEXT("I'm 5'7\" and 140 lbs, for reference."),
	TEXT("I wash it on cold and hang it to dry."),
	TEXT("The pockets are a nice touch, though a little shallow."),
	TEXT("It took a few days to break in."),
	TEXT("My daughter says it looks \"vintage\", whatever that means."),
	TEXT("I compared it with two other brands before deciding."),
	TEXT("It came in a recyclable box, which I appreciated."),
	TEXT("The label says 100% cotton, but it feels like a blend."),
	TEXT("Good for the price, nothing more, nothing less."),
	TEXT("I read the reviews before buying, and they were mostly accurate."),
	TEXT("Wore it to a job interview and to brunch the same day."),
	TEXT("It fits over a sweater, but only just."),
	TEXT("The instructions say hand wash only, so keep that in mind."),
	TEXT("The sleeves are long, the body is short, and the hood is huge."),
	TEXT("Delivery was fine, and the packaging was minimal."),
	TEXT("I'd buy it again if it went on sale."),
	TEXT("Over the past few months it has held up reasonably well, with "
	    "only minor fading along the seams and a little pilling under the "
	    "arms."),
};

/* Multi-byte UTF-8, mixed into about 1 body in 20. */
static struct pools_text pools_body_intl[] = {
	TEXT("Wore these to the café and got asked where I bought them."),
	TEXT("Très chic, and it goes with everything in my closet."),
	TEXT("Call me naïve, but I expected better for this price."),
	TEXT("Wore it to a résumé workshop and to brunch the same day."),
	TEXT("The color is a lovely jalapeño green, not quite olive."),
	TEXT("Über comfortable — I forget I'm wearing them."),
	TEXT("Bought it in Zürich, reordered it online at home."),
	TEXT("It costs about 40€ where I live, which feels fair."),
};

static struct pools_text pools_sum_pos[] = {
	TEXT("This product was great!"),
	TEXT("I'm enjoying wearing these shades"),
	TEXT("Exactly what I was looking for"),
	TEXT("Love it, would buy again"),
	TEXT("Great quality, fast shipping"),
	TEXT("Fits like a glove!"),
	TEXT("Perfect for everyday wear"),
	TEXT("Better than expected"),
	TEXT("Five stars, no notes"),
	TEXT("Très chic, très confortable"),
	TEXT("Worth every penny"),
	TEXT("My new favorite"),
	TEXT("Gift for my sister, she \"never takes it off\""),
	TEXT("I bought one in every color and I regret nothing, this is the "
	    "most comfortable thing I own, by a very long way"),
};

static struct pools_text pools_sum_neg[] = {
	TEXT("Not worth the price"),
	TEXT("Returned it after one week"),
	TEXT("Color is off compared to the photos"),
	TEXT("\"One size fits all\" is a lie"),
	TEXT("Naïve me thought it would last"),
	TEXT("Disappointed"),
	TEXT("Cheap material, nice design"),
	TEXT("Fell apart, sadly"),
	TEXT("The stitching came apart after two washes, which is a shame "
	    "because otherwise I liked the cut and the color"),
	TEXT("Runs a little small"),
};

static struct pools_text pools_sum_mid[] = {
	TEXT("Meh."),
	TEXT("Good, but not great"),
	TEXT("Comfortable and practical"),
	TEXT("Ordered two sizes, kept the larger one"),
	TEXT("Arrived late, but it's lovely"),
	TEXT("Solid purchase"),
	TEXT("Does the job"),
	TEXT("It's fine, I guess"),
	TEXT("Wore it to the café every day for a month"),
};

static struct pools_text pools_sum_adj_pos[] = {
	TEXT("Great"), TEXT("Lovely"), TEXT("Sturdy"), TEXT("Stylish"),
	TEXT("Comfy"), TEXT("Perfect"), TEXT("Gorgeous"), TEXT("Cozy"),
};

static struct pools_text pools_sum_adj_neg[] = {
	TEXT("Terrible"), TEXT("Flimsy"), TEXT("Overpriced"), TEXT("Itchy"),
	TEXT("Awkward"), TEXT("Cheap"), TEXT("Decent"), TEXT("Okay"),
};

static struct pools_text pools_sum_noun[] = {
	TEXT("shoes"), TEXT("jacket"), TEXT("fit"), TEXT("quality"),
	TEXT("purchase"), TEXT("pants"), TEXT("hat"), TEXT("bag"),
	TEXT("socks"), TEXT("sweater"), TEXT("sunglasses"), TEXT("dress"),
	TEXT("joggers"), TEXT("backpack"), TEXT("slippers"),
};

static struct pools_text pools_sum_end[] = {
	TEXT("!"), TEXT("."), TEXT(""), TEXT(", would buy again"),
	TEXT(", but runs small"), TEXT(", five stars"), TEXT("!!"),
	TEXT(" - highly recommend"), TEXT(" for the price"), TEXT(" overall"),
};

static struct pools_text pools_responses[] = {
	TEXT("Glad you're enjoying the product!"),
	TEXT("Thank you for your review!"),
	TEXT("Thanks for the feedback, we've shared it with our design team."),
	TEXT("We're sorry to hear that. Please contact support so we can "
	    "make it right."),
	TEXT("So happy it fits well! Enjoy."),
	TEXT("Thanks! We hope you enjoy it for many seasons to come."),
	TEXT("Sorry about the sizing, please see our \"Fit Guide\" for an "
	    "exchange."),
	TEXT("We appreciate the kind words, they made our day."),
	TEXT("Thank you, we've passed your comments on to the warehouse team."),
	TEXT("Merci! We're thrilled you like it."),
	TEXT("We're sorry the item arrived damaged, a replacement is on the "
	    "way, free of charge, of course."),
};

static struct pools_text pools_name_adj[] = {
	TEXT("fun"), TEXT("short"), TEXT("happy"), TEXT("blue"),
	TEXT("sunny"), TEXT("urban"), TEXT("trail"), TEXT("city"),
	TEXT("quiet"), TEXT("lucky"), TEXT("cozy"), TEXT("wild"),
	TEXT("mymain"), TEXT("salty"), TEXT("daily"), TEXT("retro"),
};

static struct pools_text pools_name_noun[] = {
	TEXT("time"), TEXT("andsweeet"), TEXT("shopper"), TEXT("runner"),
	TEXT("fan"), TEXT("lover"), TEXT("style"), TEXT("street"),
	TEXT("walker"), TEXT("hiker"), TEXT("fox"), TEXT("reviewer"),
	TEXT("mama"), TEXT("dad"), TEXT("cat"), TEXT("traveler"),
};

static struct pools_text pools_name_first[] = {
	TEXT("jackson"), TEXT("emma"), TEXT("liam"), TEXT("olivia"),
	TEXT("noah"), TEXT("ava"), TEXT("mia"), TEXT("lucas"),
	TEXT("zoë"), TEXT("josé"), TEXT("renée"), TEXT("björn"),
	TEXT("chloe"), TEXT("mateo"), TEXT("amara"), TEXT("hiroshi"),
};

static struct pools_text pools_mail_first[] = {
	TEXT("james"), TEXT("mary"), TEXT("john"), TEXT("patricia"),
	TEXT("robert"), TEXT("jennifer"), TEXT("michael"), TEXT("linda"),
	TEXT("david"), TEXT("elizabeth"), TEXT("wei"), TEXT("fatima"),
	TEXT("carlos"), TEXT("aisha"), TEXT("kenji"), TEXT("sofia"),
};

static struct pools_text pools_mail_last[] = {
	TEXT("smith"), TEXT("johnson"), TEXT("williams"), TEXT("brown"),
	TEXT("garcia"), TEXT("miller"), TEXT("davis"), TEXT("rodriguez"),
	TEXT("martinez"), TEXT("nguyen"), TEXT("kim"), TEXT("okafor"),
	TEXT("schmidt"), TEXT("rossi"), TEXT("tanaka"), TEXT("anderson"),
};

static struct pools_text pools_mail_domain[] = {
	TEXT("gmail.com"), TEXT("yahoo.com"), TEXT("hotmail.com"),
	TEXT("outlook.com"), TEXT("icloud.com"), TEXT("proton.me"),
	TEXT("aol.com"), TEXT("example.org"), TEXT("mail.co.uk"),
	TEXT("web.de"),
};

static struct pools_text pools_mail_sep[] = {
	TEXT("."), TEXT("_"), TEXT(""),
};

/* Every pool by its name, so a row asks for one by name. */
static const struct {
	struct pools_text	*t;
	size_t			 n;
} pools_all[POOLS__MAX] = {
	[POOLS_BODY_POS] = POOLS_POOL(pools_body_pos),
	[POOLS_BODY_NEG] = POOLS_POOL(pools_body_neg),
	[POOLS_BODY_MID] = POOLS_POOL(pools_body_mid),
	[POOLS_BODY_INTL] = POOLS_POOL(pools_body_intl),
	[POOLS_SUM_POS] = POOLS_POOL(pools_sum_pos),
	[POOLS_SUM_NEG] = POOLS_POOL(pools_sum_neg),
	[POOLS_SUM_MID] = POOLS_POOL(pools_sum_mid),
	[POOLS_SUM_ADJ_POS] = POOLS_POOL(pools_sum_adj_pos),
	[POOLS_SUM_ADJ_NEG] = POOLS_POOL(pools_sum_adj_neg),
	[POOLS_SUM_NOUN] = POOLS_POOL(pools_sum_noun),
	[POOLS_SUM_END] = POOLS_POOL(pools_sum_end),
	[POOLS_RESPONSES] = POOLS_POOL(pools_responses),
	[POOLS_NAME_ADJ] = POOLS_POOL(pools_name_adj),
	[POOLS_NAME_NOUN] = POOLS_POOL(pools_name_noun),
	[POOLS_NAME_FIRST] = POOLS_POOL(pools_name_first),
	[POOLS_MAIL_FIRST] = POOLS_POOL(pools_mail_first),
	[POOLS_MAIL_LAST] = POOLS_POOL(pools_mail_last),
	[POOLS_MAIL_DOMAIN] = POOLS_POOL(pools_mail_domain),
	[POOLS_MAIL_SEP] = POOLS_POOL(pools_mail_sep),
};

/*
 * Count the characters (not bytes) of every pooled text, so body lengths
 * can be counted in characters when a text holds multi-byte UTF-8; the
 * count is utf8_check's, which also proves every text valid UTF-8.
 * Call once, before the first row is made.  -1 when a text is not valid
 * UTF-8 (a mistake in this file).
 */
int
pools_init(void)
{
	size_t	 i, j;

	for (i = 0; i < POOLS__MAX; i++)
		for (j = 0; j < pools_all[i].n; j++)
			if (!utf8_check(pools_all[i].t[j].s,
			    &pools_all[i].t[j].nch))
				return -1;
	return 0;
}

/* A uniformly chosen entry of pool id. */
const struct pools_text *
pools_pick(struct rng *r, enum pools_id id)
{
	return &pools_all[id].t[rng_below(r, pools_all[id].n)];
}
